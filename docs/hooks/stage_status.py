"""Whether a stage is ready or coming, and every place the site says so.

A stage is *ready* when its brief is written and the checker grades it. Until then its page
shows what is coming instead of the brief, the nav adds "(coming)" to its title, and a
`<!-- status: NN-slug -->` marker anywhere in a line becomes a "coming" badge.
"""

from __future__ import annotations

import re
from typing import Any

from mkdocs.structure.nav import Navigation
from mkdocs.utils import meta as front_matter

from . import course
from .markdown_text import cell, link

STATUS = re.compile(r"\s*<!--\s*status:\s*(\S+)\s*-->")
COMING = (
    '<span class="coming" title="not ready yet: its brief or its checks are still being'
    ' written">coming</span>'
)


def ready(stage: Any) -> bool:
    """A stage a learner can do today: its brief is written and the checker grades it."""
    return (course.stage_folder(stage) / "README.md").is_file() and bool(course.checks_of(stage))


def badges(markdown: str) -> str:
    """Each status marker as a "coming" badge while its stage is not ready, else nothing."""
    return STATUS.sub(
        lambda m: "" if ready(course.stage_named(m.group(1))) else f" {COMING}", markdown
    )


def mark_coming(nav: Navigation) -> None:
    """Add "(coming)" to the nav title of every stage page whose stage is not ready."""
    coming = {f"stages/{s.slug}.md" for s in course.catalog().STAGES.values() if not ready(s)}
    for page in nav.pages:
        if page.file.src_uri in coming and page.title:
            page.title = f"{page.title} (coming)"


def page_meta(stage: Any) -> dict[str, Any]:
    """The front matter of a stage's page (its `coming:` and `month:`)."""
    path = course.ROOT / "docs" / "stages" / f"{stage.slug}.md"
    if not path.is_file():
        return {}
    _, data = front_matter.get_data(path.read_text("utf-8"))
    return data


def brief(slug: str | None, page: Any) -> str:
    """The stage's brief through snippets, or, while it is unwritten, what the stage will
    teach, said to a reader (no paths: those are for the contributing guide)."""
    stage = course.stage_named(slug)
    folder = course.stage_folder(stage)
    if (folder / "README.md").is_file():
        return f'--8<-- "stages/{stage.slug}/README.md"'
    meta = {**page_meta(stage), **page.meta}
    when = f"month {meta['month']}" if meta.get("month") else "an optional capstone"
    coming = [s for s in course.catalog().STAGES.values() if not ready(s)]
    first = bool(coming) and coming[0].number == stage.number
    title = "Coming next" if first else "Coming later"
    teaches = [str(item) for item in meta.get("teaches", [])]
    lines = [
        f"# Stage {stage.number} — {stage.title}",
        "",
        f'!!! info "{title}: this stage is being written"',
        f"    Stage {stage.number} ({when}) will ask your project for",
        f"    {meta.get('coming', 'a new capability')}.",
        "",
    ]
    if teaches:
        lines += ["    It will teach you:", ""]
        lines += [f"    - {item}" for item in teaches]
        lines.append("")
    if course.checks_of(stage):
        lines.append(
            "    Its checks are ready before its brief: the rubric below is what the checker"
            " grades today, and it may still change."
        )
    else:
        lines.append(
            "    Its brief and its rubric will appear on this page. Until then, finish the"
            " stages before it: everything here builds on them."
        )
    return "\n".join(lines) + "\n"


def status_table(_: str | None, page: Any) -> str:
    """Each stage with what has landed of it: brief, checks, reference."""
    lines = [
        "| stage | month | what your project gains | in the course today |",
        "|---|---|---|---|",
    ]
    for stage in course.catalog().STAGES.values():
        meta = page_meta(stage)
        folder = course.stage_folder(stage)
        checks = len(course.checks_of(stage))
        landed = [
            *(["brief"] if (folder / "README.md").is_file() else []),
            *([f"{checks} checks"] if checks else []),
            *(["reference"] if (folder / "reference").is_dir() else []),
        ]
        target = link(page, f"stages/{stage.slug}.md")
        today = ", ".join(landed)
        status = f"ready: {today}" if ready(stage) else f"{COMING} {today}".rstrip()
        lines.append(
            f"| [{stage.number} · {stage.title}]({target}) | {meta.get('month', 'optional')} "
            f"| {cell(str(meta.get('coming', '')))} | {status} |"
        )
    return "\n".join(lines) + "\n"
