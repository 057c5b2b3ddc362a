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
"coming" badge while the stage is not ready, nothing once it is. A ```` ``` mermaid ````
flowchart becomes an inline SVG, drawn here (diagram.py), so no page loads mermaid.

The words come from `checks.harness.catalog` (each check's docstring), so a check that is
added or reworded shows up on the next build with no edit here. A stage is *ready* when its
brief is written and the checker grades it; until then the nav marks it "(coming)".
Decisions added to docs/decisions/ join the nav's Decisions section on their own.

This module holds the marker registry and the MkDocs events; the parts it renders are the
other modules of this folder, one idea each.

How it imports them: MkDocs 1.6 (`config_options.Hooks`) loads a hook by its file path as a
top-level module named after its mkdocs.yml entry, so a relative import has no package to
be relative to; and it puts this folder on sys.path only while the file runs, where a plain
`import course` could find some other module of that name. So this file imports its own
folder by path as the package `roadmap_site_hooks`, afresh on every load: it works the same
for MkDocs and for a test that loads the file with importlib, and the modules import each
other relatively.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.nav import Navigation

PACKAGE = "roadmap_site_hooks"


def _import_folder_as_package() -> None:
    folder = Path(__file__).resolve().parent
    for name in [n for n in sys.modules if n == PACKAGE or n.startswith(f"{PACKAGE}.")]:
        del sys.modules[name]
    spec = importlib.util.spec_from_file_location(
        PACKAGE, folder / "__init__.py", submodule_search_locations=[str(folder)]
    )
    if spec is None or spec.loader is None:
        raise PluginError(f"cannot import {folder} as the package {PACKAGE}")
    package = importlib.util.module_from_spec(spec)
    sys.modules[PACKAGE] = package
    spec.loader.exec_module(package)


_import_folder_as_package()

from roadmap_site_hooks import (  # noqa: E402  (importable only once the call above ran)
    checker_output,
    course,
    decisions_nav,
    diagram,
    nox_table,
    reference_changes,
    rubric_tables,
    stage_status,
)

MARKER = re.compile(r"^<!--\s*([a-z-]+)(?::\s*(\S+))?\s*-->[ \t]*$", re.M)

RENDERERS: dict[str, Callable[[str | None, Any], str]] = {
    "brief": stage_status.brief,
    "rubric": rubric_tables.rubric,
    "reference": reference_changes.what_changed,
    "catalog": rubric_tables.check_catalog,
    "stage-status": stage_status.status_table,
    "nox-sessions": nox_table.nox_sessions,
    "report-example": checker_output.report_example,
    "sample-rubric": checker_output.sample_rubric,
}


def on_config(config: Any) -> Any:
    """Import the course's checks from this checkout and resolve snippets from its root."""
    if str(course.ROOT) not in sys.path:
        sys.path.insert(0, str(course.ROOT))
    snippets = config.mdx_configs.setdefault("pymdownx.snippets", {})
    snippets["base_path"] = [str(course.ROOT)]
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

    markdown = diagram.render_fences(markdown, page.file.src_uri)
    return stage_status.badges(MARKER.sub(replace, markdown))


def on_nav(nav: Navigation, *, config: Any, files: Any) -> Navigation:
    """Mark stages that are not ready as coming, and list every decision in the nav."""
    stage_status.mark_coming(nav)
    return decisions_nav.list_every_decision(nav, files)
