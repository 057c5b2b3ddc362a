"""What the checker reads of the project besides `[tool.roadmap]`: its console scripts,
its test dependency group and the Python it needs, from pyproject.toml, setup.cfg or
setup.py. Read as text, once, before any learner code runs; setup.py is parsed, never run.
"""

from __future__ import annotations

import ast
import configparser
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TEST_GROUPS = ("dev", "test", "tests")  # dependency groups that usually hold pytest


@dataclass(frozen=True)
class Project:
    scripts: dict[str, str] = field(default_factory=dict)  # command -> "module:function"
    test_group: str | None = None  # the dependency group that installs the test tools
    requires_python: str | None = None
    requires_python_in: str = "pyproject.toml"  # the file that says it, for the diagnosis


def read(repo: Path, pyproject: dict[str, Any]) -> Project:
    project = pyproject.get("project")
    project = project if isinstance(project, dict) else {}
    scripts = project.get("scripts")
    found = (
        {k: v for k, v in scripts.items() if isinstance(v, str)}
        if isinstance(scripts, dict)
        else {}
    )
    groups = pyproject.get("dependency-groups")
    groups = groups if isinstance(groups, dict) else {}
    python, python_in = _requires_python(repo, project.get("requires-python"))
    return Project(
        scripts=found | _setup_cfg_scripts(repo) | _setup_py_scripts(repo),
        test_group=next((g for g in TEST_GROUPS if g in groups), None),
        requires_python=python,
        requires_python_in=python_in,
    )


def _requires_python(repo: Path, in_pyproject: object) -> tuple[str | None, str]:
    """The Python range the project needs and the file that says it: pyproject.toml's
    requires-python first, else a setuptools project's python_requires."""
    found = {
        "pyproject.toml": in_pyproject,
        "setup.cfg": _setup_cfg(repo, "options", "python_requires"),
        "setup.py": _setup_py_keyword(repo, "python_requires"),
    }
    for file, value in found.items():
        if isinstance(value, str) and value.strip():
            return value.strip(), file
    return None, "pyproject.toml"


def _console_scripts(lines: list[str]) -> dict[str, str]:
    """`name = module:function` lines, as setuptools writes console_scripts."""
    scripts = {}
    for line in lines:
        name, sep, target = line.partition("=")
        if sep and name.strip() and target.strip():
            scripts[name.strip()] = target.strip()
    return scripts


def _setup_cfg(repo: Path, section: str, option: str) -> str | None:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(repo / "setup.cfg", encoding="utf-8")
        return parser.get(section, option, fallback=None)
    except (configparser.Error, UnicodeDecodeError):
        return None


def _setup_cfg_scripts(repo: Path) -> dict[str, str]:
    raw = _setup_cfg(repo, "options.entry_points", "console_scripts") or ""
    return _console_scripts(raw.splitlines())


def _setup_py_keyword(repo: Path, name: str) -> object:
    """The literal value of keyword `name` in setup.py (`setup(name=...)`), read without
    running it; None when it is absent or computed."""
    try:
        tree = ast.parse((repo / "setup.py").read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == name:
            try:
                return ast.literal_eval(node.value)
            except (ValueError, TypeError, RecursionError):  # not a literal
                return None
    return None


def _setup_py_scripts(repo: Path) -> dict[str, str]:
    """`entry_points={"console_scripts": [...]}` in a setup() call."""
    entry_points = _setup_py_keyword(repo, "entry_points")
    lines = entry_points.get("console_scripts", []) if isinstance(entry_points, dict) else []
    if isinstance(lines, str):
        lines = lines.splitlines()
    return _console_scripts([line for line in lines if isinstance(line, str)])
