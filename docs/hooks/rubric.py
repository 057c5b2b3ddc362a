"""MkDocs hook: fill the site's generated parts from the course itself, at build time.

A page asks for a generated part with a marker alone on its line:

    <!-- brief: 01-cli -->          the stage brief (stages/01-cli/README.md) via snippets,
                                    or a "coming" admonition when it is not written yet
    <!-- rubric: 01-cli -->         the rubric: one row and one anchored section per check
    <!-- reference: 01-cli -->      the files the stage's reference overlay adds or changes
    <!-- catalog -->                every check of every stage, linking to the rubric anchors
    <!-- stage-status -->           each stage with what has landed: brief, checks, reference
    <!-- nox-sessions -->           the sessions of noxfile.py with their docstrings
    <!-- report-example: NAME -->   results.json or junit.xml, rendered by the checker's code
    <!-- sample-rubric -->          what the checker prints for a stage-1 project with one bug

and, anywhere in a line (a table cell, a list item), `<!-- status: 05-quality -->`: a
"coming" badge while the stage is not ready, nothing once it is.

The words come from `checks.harness.catalog` (each check's docstring), so a check that is
added or reworded shows up on the next build with no edit here. A stage is *ready* when its
brief is written and the checker grades it; until then the nav marks it "(coming)".
Decisions added to docs/decisions/ join the nav's Decisions section on their own.
"""

from __future__ import annotations

import ast
import importlib
import posixpath
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import meta as front_matter

ROOT = Path(__file__).resolve().parents[2]
MARKER = re.compile(r"^<!--\s*([a-z-]+)(?::\s*(\S+))?\s*-->[ \t]*$", re.M)
STATUS = re.compile(r"\s*<!--\s*status:\s*(\S+)\s*-->")
COMING = (
    '<span class="coming" title="not ready yet: its brief or its checks are still being'
    ' written">coming</span>'
)


def on_config(config: Any) -> Any:
    """Import the course's checks from this checkout and resolve snippets from its root."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    snippets = config.mdx_configs.setdefault("pymdownx.snippets", {})
    snippets["base_path"] = [str(ROOT)]
    return config


def on_pre_build(config: Any) -> None:
    """Forget imported check modules, so `mkdocs serve` shows a reworded check on reload."""
    for name in [n for n in sys.modules if n.startswith("checks.stage_")]:
        del sys.modules[name]
    importlib.invalidate_caches()


def on_page_markdown(markdown: str, *, page: Any, config: Any, files: Any) -> str:
    def replace(match: re.Match[str]) -> str:
        kind, argument = match.group(1), match.group(2)
        render = RENDERERS.get(kind)
        if render is None:
            return match.group(0)  # an ordinary HTML comment
        try:
            return render(argument, page)
        except PluginError:
            raise
        except Exception as error:  # a broken check package must stop the build, readably
            raise PluginError(
                f"{page.file.src_uri}: could not render <!-- {kind}"
                f"{': ' + argument if argument else ''} -->: {type(error).__name__}: {error}"
            ) from error

    markdown = MARKER.sub(replace, markdown)
    return STATUS.sub(lambda m: "" if _ready(_stage(m.group(1))) else f" {COMING}", markdown)


def on_nav(nav: Navigation, *, config: Any, files: Any) -> Navigation:
    """Mark stages that are not ready as coming, and list every decision in the nav."""
    coming = {f"stages/{s.slug}.md" for s in _catalog().STAGES.values() if not _ready(s)}
    for page in nav.pages:
        if page.file.src_uri in coming and page.title:
            page.title = f"{page.title} (coming)"
    section = _section(nav.items, "Decisions")
    if section is None:
        return nav
    listed = {id(page) for page in nav.pages}
    missing = [
        file.page
        for file in sorted(files.documentation_pages(), key=lambda f: f.src_uri)
        if file.src_uri.startswith("decisions/")
        and file.page is not None
        and id(file.page) not in listed
    ]
    last = [child for child in section.children if isinstance(child, Page)]
    at = nav.pages.index(last[-1]) + 1 if last else len(nav.pages)
    for page in missing:
        page.parent = section
        section.children.append(page)
    nav.pages[at:at] = missing
    for before, after in zip(nav.pages, nav.pages[1:], strict=False):
        before.next_page, after.previous_page = after, before
    return nav


def _section(items: list[Any], title: str) -> Section | None:
    """The nav section with this title, at any depth."""
    for item in items:
        if isinstance(item, Section):
            found = item if item.title == title else _section(item.children, title)
            if found is not None:
                return found
    return None


# The course ------------------------------------------------------------------------------


def _catalog() -> Any:
    return importlib.import_module("checks.harness.catalog")


def _stage(slug: str | None) -> Any:
    for stage in _catalog().STAGES.values():
        if stage.slug == slug:
            return stage
    known = ", ".join(s.slug for s in _catalog().STAGES.values())
    raise PluginError(f"no stage {slug!r} in checks/harness/catalog.py (known: {known})")


def _checks_of(stage: Any) -> list[Any]:
    """The stage's checks in rubric order; none while its package is not written."""
    return [check for check in _catalog().all_checks() if check.stage.number == stage.number]


def _stage_folder(stage: Any) -> Path:
    return ROOT / "stages" / str(stage.slug)


def _ready(stage: Any) -> bool:
    """A stage a learner can do today: its brief is written and the checker grades it."""
    return (_stage_folder(stage) / "README.md").is_file() and bool(_checks_of(stage))


def _page_meta(stage: Any) -> dict[str, Any]:
    """The front matter of a stage's page (its `coming:` and `month:`)."""
    path = ROOT / "docs" / "stages" / f"{stage.slug}.md"
    if not path.is_file():
        return {}
    _, data = front_matter.get_data(path.read_text("utf-8"))
    return data


def _link(page: Any, target: str) -> str:
    """A link from `page` to another source file of the site, relative as MkDocs wants."""
    here = posixpath.dirname(page.file.src_uri)
    return posixpath.relpath(target, here or ".")


def _cell(text: str) -> str:
    """Text that is safe inside a Markdown table cell."""
    return text.replace("|", r"\|").replace("\n", " ")


def _kind(check: Any) -> str:
    return "required" if check.required else "advisory"


# Renderers -------------------------------------------------------------------------------


def brief(slug: str | None, page: Any) -> str:
    stage = _stage(slug)
    folder = _stage_folder(stage)
    if (folder / "README.md").is_file():
        return f'--8<-- "stages/{stage.slug}/README.md"'
    meta = {**_page_meta(stage), **page.meta}
    when = f"month {meta['month']}" if meta.get("month") else "an optional capstone"
    landed = [
        *([f"its {len(_checks_of(stage))} checks"] if _checks_of(stage) else []),
        *(["its reference solution"] if (folder / "reference").is_dir() else []),
    ]
    lines = [
        f"# Stage {stage.number} — {stage.title}",
        "",
        f'!!! info "Coming: {"the brief for " if landed else ""}this stage is not written yet"',
        f"    Stage {stage.number} (`{stage.slug}`, {when}) will ask your project for",
        f"    {meta.get('coming', 'a new capability')}.",
        "",
        f"    The brief will appear on this page when `stages/{stage.slug}/README.md` lands.",
    ]
    if landed:
        lines.append(
            f"    {' and '.join(landed).capitalize()} have landed already: what you see below"
            " is what the checker uses today, and it may still change."
        )
    else:
        lines.append(
            f"    Its rubric will follow when its checks land in `checks/{stage.package}/`."
            " Until then, finish the stages before it: everything here builds on them."
        )
    return "\n".join(lines) + "\n"


def rubric(slug: str | None, page: Any) -> str:
    stage = _stage(slug)
    checks = _checks_of(stage)
    if not checks:
        return (
            "## Rubric\n\n"
            '!!! note "No checks yet"\n'
            f"    The checks for this stage will live in `checks/{stage.package}/`. When they\n"
            "    land, this section lists each one with why it matters and how to fix a\n"
            "    failure, generated from the checks themselves.\n"
        )
    required = sum(check.required for check in checks)
    lines = [
        "## Rubric",
        "",
        f"Generated from `checks/{stage.package}/` when this site was built, so it is exactly",
        f"what `./nox -s check` grades: {len(checks)} checks, {required} required and "
        f"{len(checks) - required} advisory. Required checks must all pass for the stage to "
        "pass; advisory ones are reported but never fail it."
        + (
            f" Checking stage {stage.number} also runs the checks of every earlier stage."
            if stage.number > 1
            else ""
        )
        + " The milestone column names the part of the brief above that builds what it grades.",
        "",
        "| check | milestone | criterion | |",
        "|---|---|---|---|",
    ]
    for check in checks:
        milestone = check.milestone.number if check.milestone else ""
        lines.append(
            f"| [`{check.id}`](#{check.anchor}) | {milestone} | {_cell(check.criterion)} "
            f"| {_kind(check)} |"
        )
    for check in checks:
        verdict = (
            "**Required:** the stage does not pass until this check does."
            if check.required
            else "**Advisory:** reported with the others, but it never fails the stage."
        )
        lines += [
            "",
            f"### `{check.id}` {{ #{check.anchor} }}",
            "",
            check.criterion,
            "",
            verdict,
            "",
            f"**Why it matters:** {_worded(check.why)}",
            "",
            f"**How to fix a failure:** {_worded(check.fix)}",
            "",
            f"Run it alone: `./nox -s check -- ../my-project --only {check.id}`",
        ]
    return "\n".join(lines) + "\n"


def reference(slug: str | None, page: Any) -> str:
    stage = _stage(slug)
    overlay = _stage_folder(stage) / "reference"
    if not overlay.is_dir():
        return ""
    rows = []
    for path in sorted(p for p in overlay.rglob("*") if p.is_file()):
        if "__pycache__" in path.parts:
            continue
        relative = path.relative_to(overlay).as_posix()
        summary = _summary_of(path)
        if not summary:
            raise PluginError(
                f"{path.relative_to(ROOT)} says nothing about itself, so its row in the"
                " stage page's table would be blank: give it a docstring, a `# Title` or a"
                " leading `#` comment"
            )
        rows.append(f"| `{relative}` | {_cell(summary)} |")
    removed_file = _stage_folder(stage) / "removed.txt"
    if removed_file.is_file():
        for line in removed_file.read_text("utf-8").splitlines():
            removed = line.split("#", 1)[0].strip()  # as checks/course/reference.py reads it
            if removed:
                rows.append(f"| ~~`{removed}`~~ | removed at this stage |")
    return "\n".join(
        [
            "## What changed in the reference",
            "",
            "The course's own solution (the *reference*, an expense tracker) at the end of this",
            f"stage is the rendered starter plus the files below, kept in "
            f"`stages/{stage.slug}/reference/`. Write the whole project, with one commit per",
            f"stage, with `./nox -s reference -- {stage.number} /tmp/reference-{stage.slug}`.",
            "",
            "| file | what it holds |",
            "|---|---|",
            *rows,
            "",
        ]
    )


def _summary_of(path: Path) -> str:
    """A file's own first line of explanation, so no row of the table is left blank.

    A module docstring, a Markdown title or a leading `#` comment says it best; a test
    module without a docstring is summed up by its tests, pyproject.toml by what it depends
    on, a Mako file as the template Alembic writes migrations from.
    """
    text = path.read_text("utf-8", errors="replace")
    if path.suffix == ".py":
        try:
            tree: ast.Module | None = ast.parse(text)
        except SyntaxError:
            tree = None
        doc = _first_sentence(ast.get_docstring(tree) or "") if tree else ""
        tests = [
            node.name
            for node in (tree.body if tree else [])
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
        ]
        if doc or not tests:
            return doc
        subject = path.stem.removeprefix("test_").replace("_", " ")
        return f"{len(tests)} test{'s' if len(tests) != 1 else ''} of the {subject}"
    if path.suffix == ".md":
        title = next((line for line in text.splitlines() if line.startswith("# ")), "")
        return title[2:].strip()
    if path.name == "pyproject.toml":
        names = [re.split(r"[^A-Za-z0-9_.-]", d, maxsplit=1)[0] for d in _dependencies(text)]
        return "The package and its command" + (
            f"; it depends on {', '.join(names)}" if names else ""
        )
    if path.suffix == ".mako":
        return "The template Alembic fills in for each new migration."
    comment = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        comment.append(line.lstrip("#"))
    return _first_sentence("\n".join(comment))


def _first_sentence(text: str) -> str:
    """The first sentence of a text's first paragraph, on one line."""
    paragraph = " ".join(text.strip().split("\n\n")[0].split())
    sentence = re.match(r".+?\.(?=\s|$)", paragraph)
    return sentence.group(0) if sentence else paragraph


def _dependencies(pyproject: str) -> list[str]:
    import tomllib

    dependencies: list[str] = tomllib.loads(pyproject).get("project", {}).get("dependencies", [])
    return dependencies


def catalog(_: str | None, page: Any) -> str:
    stages = list(_catalog().STAGES.values())
    every = list(_catalog().all_checks())
    required = sum(check.required for check in every)
    written = sorted({check.stage.number for check in every})
    lines = [
        f"{len(every)} checks in {len(written)} written "
        f"stage{'s' if len(written) != 1 else ''}: {required} required, "
        f"{len(every) - required} advisory. Generated from `checks/` when this site was built.",
    ]
    for stage in stages:
        checks = [check for check in every if check.stage.number == stage.number]
        target = _link(page, f"stages/{stage.slug}.md")
        lines += ["", f"## Stage {stage.number} · `{stage.slug}` — {stage.title}", ""]
        if not checks:
            lines.append(
                f"{COMING} No checks yet: see [what stage {stage.number} will ask]({target})."
            )
            continue
        lines += ["| check | criterion | |", "|---|---|---|"]
        for check in checks:
            lines.append(
                f"| [`{check.id}`]({target}#{check.anchor}) | {_cell(check.criterion)} "
                f"| {_kind(check)} |"
            )
    return "\n".join(lines) + "\n"


def stage_status(_: str | None, page: Any) -> str:
    lines = [
        "| stage | month | what your project gains | in the course today |",
        "|---|---|---|---|",
    ]
    for stage in _catalog().STAGES.values():
        meta = _page_meta(stage)
        folder = _stage_folder(stage)
        checks = len(_checks_of(stage))
        landed = [
            *(["brief"] if (folder / "README.md").is_file() else []),
            *([f"{checks} checks"] if checks else []),
            *(["reference"] if (folder / "reference").is_dir() else []),
        ]
        link = _link(page, f"stages/{stage.slug}.md")
        today = ", ".join(landed)
        status = f"ready: {today}" if _ready(stage) else f"{COMING} {today}".rstrip()
        lines.append(
            f"| [{stage.number} · {stage.title}]({link}) | {meta.get('month', 'optional')} "
            f"| {_cell(str(meta.get('coming', '')))} | {status} |"
        )
    return "\n".join(lines) + "\n"


def nox_sessions(_: str | None, page: Any) -> str:
    tree = ast.parse((ROOT / "noxfile.py").read_text("utf-8"))
    defaults: list[str] = []
    for node in tree.body:  # nox.options.sessions = [...]
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "nox.options.sessions":
            defaults = list(ast.literal_eval(node.value))
    lines = [
        "| session | what it does | runs with a plain `./nox` |",
        "|---|---|---|",
    ]
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        options = _session_options(node)
        if options is None:
            continue
        name = options.get("name", node.name)
        doc = (ast.get_docstring(node) or "").split("\n")[0]
        lines.append(
            f"| `./nox -s {name}` | {_cell(doc)} | {'yes' if name in defaults else 'no'} |"
        )
    return "\n".join(lines) + "\n"


def _session_options(function: ast.FunctionDef) -> dict[str, Any] | None:
    """The keyword arguments of a function's `@nox.session` decorator, or None."""
    for decorator in function.decorator_list:
        call = decorator if isinstance(decorator, ast.Call) else None
        target = call.func if call else decorator
        if ast.unparse(target) == "nox.session":
            keywords = call.keywords if call else []
            return {k.arg: ast.literal_eval(k.value) for k in keywords if k.arg}
    return None


def report_example(name: str | None, page: Any) -> str:
    """A report file rendered by the checker's own code for a small example run."""
    from checks.harness.results import CheckResult, Run
    from checks.report import exercism, junit

    renderers = {"results.json": (exercism.render, "json"), "junit.xml": (junit.render, "xml")}
    if name not in renderers:
        raise PluginError(f"report-example knows {', '.join(renderers)}, not {name!r}")
    by_id = {check.id: check for check in _catalog().all_checks()}
    run = Run(repo="expense-tracker", project="expense-tracker", stage=1, seed=7)
    run.results = [
        CheckResult(by_id["01-cli/installs"], "pass", seconds=2.1),
        CheckResult(
            by_id["01-cli/summary"],
            "fail",
            problem="the summary is not the sum of amount per category",
            ran="expense-tracker summary --json",
            got='exit code 0; stdout: {"food-qt1d": "3.00"}',
            expected='{"food-qt1d": 16026.95}',
            fix=_worded(by_id["01-cli/summary"].fix),
            try_lines=[
                "export DATA_FILE=$(mktemp -d)/data.json",
                "expense-tracker add --amount 7521.68 --category food-qt1d",
                "expense-tracker summary --json",
            ],
            seconds=0.8,
        ),
        CheckResult(
            by_id["01-cli/code-organization"],
            "fail",
            problem="cli.py opens the data file itself",
            fix=_worded(by_id["01-cli/code-organization"].fix),
            seconds=0.1,
        ),
    ]
    render, language = renderers[name]
    return f'```{language} title="{name}"\n{render(run).rstrip()}\n```\n'


def sample_rubric(_: str | None, page: Any) -> str:
    """What the checker prints for a stage-1 project with one bug, by the checker's own code."""
    from checks.harness.results import CheckResult, Run
    from checks.report import terminal

    run = Run(repo="expense-tracker", project="expense-tracker", stage=1, seed=7)
    for check in _checks_of(_catalog().STAGES[1]):
        if check.id != "01-cli/summary":
            run.results.append(CheckResult(check, "pass"))
            continue
        run.results.append(
            CheckResult(
                check,
                "fail",
                problem="the summary is not the sum of amount per category",
                ran="expense-tracker summary --json",
                got='exit code 0; stdout: {"food": "3.00"}',
                expected='{"food": 16.95}',
                fix=_worded(check.fix),
            )
        )
    title = "What the checker tells you: ./nox -s check -- ../expense-tracker"
    return f'```text title="{title}"\n{terminal.render(run).rstrip()}\n```\n'


RENDERERS: dict[str, Callable[[str | None, Any], str]] = {
    "brief": brief,
    "rubric": rubric,
    "reference": reference,
    "catalog": catalog,
    "stage-status": stage_status,
    "nox-sessions": nox_sessions,
    "report-example": report_example,
    "sample-rubric": sample_rubric,
}


def _worded(text: str) -> str:
    """A check's words as the default preset reads them (`{record}` → expense)."""
    from checks.harness import wording

    return wording.render(text)
