"""Where the learner's tests are: the files pytest itself would collect, read as text.

A check that reads test files (which module they import) must look where `pytest` looks
when the learner runs it in their project folder: `testpaths` from the first
configuration file pytest would use, else the whole project; `python_files` for the
names; never inside virtual environments, hidden folders, node_modules or build folders.
Tests in `src/tests/` or `TodoApp/test/` are tests too.
"""

from __future__ import annotations

import configparser
import fnmatch
import glob
import shlex
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_FILES = ("test_*.py", "*_test.py")
# pytest's default norecursedirs, and folders no learner keeps tests in.
SKIPPED = (
    *("*.egg", ".*", "_darcs", "build", "CVS", "dist", "node_modules", "venv", "{arch}"),
    *("__pycache__", "site-packages", "htmlcov"),
)
# The files pytest reads its settings from, in the order it tries them.
CONFIG_FILES = (
    *("pytest.toml", ".pytest.toml", "pytest.ini", ".pytest.ini"),
    *("pyproject.toml", "tox.ini", "setup.cfg"),
)


@dataclass(frozen=True)
class PytestConfig:
    """What of the learner's pytest settings decides which files are tests."""

    testpaths: tuple[str, ...] = ()
    python_files: tuple[str, ...] = DEFAULT_FILES
    norecursedirs: tuple[str, ...] = ()
    source: str | None = None  # the file these came from, as a report names it


def read_config(project: Path) -> PytestConfig:
    """The settings from the first file pytest would use in `project`, or pytest's own."""
    for name in CONFIG_FILES:
        path = project / name
        if not path.is_file():
            continue
        options = _options(path)
        if options is None:
            continue  # a file without a pytest section: pytest looks at the next one
        return PytestConfig(
            testpaths=_listed(options.get("testpaths")),
            python_files=_listed(options.get("python_files")) or DEFAULT_FILES,
            norecursedirs=_listed(options.get("norecursedirs")),
            source=name,
        )
    return PytestConfig()


def find_test_files(project: Path) -> list[Path]:
    """The test files pytest would collect from `project` (run there with no arguments)."""
    config = read_config(project)
    found: set[Path] = set()
    for start in _starts(project, config) or [project]:
        if start.is_file():
            found.add(start)  # named outright: collected whatever its name
        elif start.is_dir():
            found.update(_walk(start, config))
    return sorted(found)


def where(project: Path) -> str:
    """Where `find_test_files` looked, in words for a report."""
    config = read_config(project)
    if _starts(project, config):
        return f"the testpaths of {config.source} ({', '.join(config.testpaths)})"
    return "the whole project"


def _starts(project: Path, config: PytestConfig) -> list[Path]:
    """What `testpaths` names (globs allowed, as pytest allows), inside the project only;
    none found means pytest searches the whole project, and so do we."""
    inside = project.resolve()
    return [
        Path(found)
        for pattern in config.testpaths
        for found in sorted(glob.glob(str(project / pattern), recursive=True))
        if Path(found).resolve().is_relative_to(inside)  # never "../" out of the copy
    ]


def _walk(folder: Path, config: PytestConfig) -> Iterator[Path]:
    skipped = (*SKIPPED, *config.norecursedirs)
    for entry in sorted(folder.iterdir()):
        if entry.is_symlink():
            continue  # a copy of the learner's repo: a link may point anywhere
        if entry.is_dir():
            if not any(fnmatch.fnmatch(entry.name, p) for p in skipped) and not _venv(entry):
                yield from _walk(entry, config)
        elif any(fnmatch.fnmatch(entry.name, p) for p in config.python_files):
            yield entry


def _venv(folder: Path) -> bool:
    """A virtual environment, whatever its name (as pytest tells one)."""
    return (folder / "pyvenv.cfg").is_file() or (folder / "conda-meta" / "history").is_file()


def _options(path: Path) -> dict[str, Any] | None:
    """The pytest section of one configuration file, or None when it has none."""
    try:
        text = path.read_text("utf-8", errors="replace")
    except OSError:
        return None
    if path.suffix == ".toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            return None
        if path.name == "pyproject.toml":
            tool = data.get("tool", {}).get("pytest", {})
            section = tool.get("ini_options", tool or None)
        else:
            section = data.get("pytest", data)
        return section if isinstance(section, dict) else None
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error:
        return None
    name = "tool:pytest" if path.name == "setup.cfg" else "pytest"
    if parser.has_section(name):
        return dict(parser[name])
    return {} if path.name in ("pytest.ini", ".pytest.ini") else None  # used even if empty


def _listed(value: Any) -> tuple[str, ...]:
    """An option that lists values: a TOML list, or words in an INI file."""
    if isinstance(value, str):
        try:
            return tuple(shlex.split(value))
        except ValueError:
            return tuple(value.split())
    if isinstance(value, list):
        return tuple(str(item) for item in value)
    return ()
