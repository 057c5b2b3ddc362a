"""What changed in the reference: each file a stage's overlay adds, changes or removes.

Every row says what its file holds in the file's own words, so a file that says nothing
about itself stops the build rather than leaving a blank cell.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from . import course
from .markdown_text import cell
from .markdown_text import path as code_path


def what_changed(slug: str | None, page: Any) -> str:
    """The table of the stage's overlay files, or nothing while it has no reference."""
    stage = course.stage_named(slug)
    overlay = course.stage_folder(stage) / "reference"
    if not overlay.is_dir():
        return ""
    rows = []
    for path in sorted(p for p in overlay.rglob("*") if p.is_file()):
        if "__pycache__" in path.parts:
            continue
        relative = path.relative_to(overlay).as_posix()
        summary = summary_of(path)
        if not summary:
            raise PluginError(
                f"{path.relative_to(course.ROOT)} says nothing about itself, so its row in the"
                " stage page's table would be blank: give it a docstring, a `# Title` or a"
                " leading `#` comment"
            )
        rows.append(f"| {code_path(relative)} | {cell(summary)} |")
    removed_file = course.stage_folder(stage) / "removed.txt"
    if removed_file.is_file():
        for line in removed_file.read_text("utf-8").splitlines():
            removed = line.split("#", 1)[0].strip()  # as checks/course/reference.py reads it
            if removed:
                rows.append(f"| ~~{code_path(removed)}~~ | removed at this stage |")
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


def summary_of(path: Path) -> str:
    """A file's own first line of explanation, so no row of the table is left blank.

    A module docstring, a Markdown title or a leading `#` comment says it best; a test
    module without a docstring is summed up by its tests, pyproject.toml by what it depends
    on, a Mako file as the template Alembic writes migrations from, uv.lock as uv's lock.
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
    if path.name == "uv.lock":  # written by uv, which puts no comment in it
        return "The exact version of every package, written by `uv lock`."
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
