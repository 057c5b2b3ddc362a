"""The rubric of one stage and the catalog of every check, in the checks' own words."""

from __future__ import annotations

import html
from typing import Any

from . import course
from .markdown_text import cell, check_id, link
from .stage_status import COMING


def rubric(slug: str | None, page: Any) -> str:
    """One row per check, then one folded section per check: why it matters, how to fix.

    The sections start folded, so the page reads as the table; a report's link to a check
    (`#01-cli-summary`) lands on its section, which Material opens on arrival.
    """
    stage = course.stage_named(slug)
    checks = course.checks_of(stage)
    if not checks:
        return (
            "## Rubric\n\n"
            "When this stage is ready, this section lists each check the checker runs for it,\n"
            "with why it matters and how to fix a failure, in the checks' own words.\n"
        )
    required = sum(check.required for check in checks)
    lines = [
        "## Rubric",
        "",
        "Generated from the checks themselves when this site was built, so it is exactly",
        f"what `./nox -s check` grades: {len(checks)} checks, {required} required and "
        f"{len(checks) - required} advisory. Required checks must all pass for the stage to "
        "pass; advisory ones are reported but never fail it."
        + (
            f" Checking stage {stage.number} also runs the checks of every earlier stage."
            if stage.number > 1
            else ""
        )
        + " Under each check is the milestone of the brief above that builds what it grades;"
        " open a check for why it matters and how to fix a failure.",
        "",
        "| check | criterion |",
        "|---|---|",
    ]
    for check in checks:
        where = [f"milestone {check.milestone.number}"] if check.milestone else []
        where += [] if check.required else ["advisory"]
        lines.append(
            f"| [{check_id(check.id)}](#{check.anchor})"
            + (f"<br><small>{' · '.join(where)}</small>" if where else "")
            + f" | {cell(check.criterion)} |"
        )
    lines.append("")
    for check in checks:
        verdict = (
            "**Required:** the stage does not pass until this check does."
            if check.required
            else "**Advisory:** reported with the others, but it never fails the stage."
        )
        lines += [
            f'<details class="check" id="{check.anchor}" markdown>',
            f"<summary>{check_id(check.id)}{_advisory(check)}: {inline(check.criterion)}</summary>",
            "",
            verdict,
            "",
            f"**Why it matters:** {course.worded(check.why)}",
            "",
            f"**How to fix a failure:** {course.worded(check.fix)}",
            "",
            f"Run it alone: `./nox -s check -- ../my-project --only {check.id}`",
            "",
            "</details>",
            "",
        ]
    return "\n".join(lines)


def check_catalog(_: str | None, page: Any) -> str:
    """Every check of every stage, each linking to its section on its stage's page."""
    stages = list(course.catalog().STAGES.values())
    every = list(course.catalog().all_checks())
    required = sum(check.required for check in every)
    written = sorted({check.stage.number for check in every})
    lines = [
        f"{len(every)} checks in {len(written)} written "
        f"stage{'s' if len(written) != 1 else ''}: {required} required, "
        f"{len(every) - required} advisory. Generated from `checks/` when this site was built.",
    ]
    for stage in stages:
        checks = [check for check in every if check.stage.number == stage.number]
        target = link(page, f"stages/{stage.slug}.md")
        lines += ["", f"## Stage {stage.number} · `{stage.slug}` — {stage.title}", ""]
        if not checks:
            lines.append(
                f"{COMING} No checks yet: see [what stage {stage.number} will teach]({target})."
            )
            continue
        lines += ["| check | criterion |", "|---|---|"]
        for check in checks:
            lines.append(
                f"| [{check_id(check.id)}]({target}#{check.anchor}){_advisory(check)} "
                f"| {cell(check.criterion)} |"
            )
    return "\n".join(lines) + "\n"


def _advisory(check: Any) -> str:
    """Advisory checks say so after their id; required is the default the text states."""
    return "" if check.required else " *(advisory)*"


def inline(markdown: str) -> str:
    """A criterion as inline HTML: `code` spans as <code>, the rest escaped (a summary
    line is HTML, where Markdown's backticks would stay backticks)."""
    parts = markdown.split("`")
    return "".join(
        f"<code>{html.escape(part)}</code>" if odd else html.escape(part)
        for odd, part in ((i % 2 == 1, part) for i, part in enumerate(parts))
    )
