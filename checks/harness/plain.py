"""Requirements the checker may install itself: names from the package index, nothing else.

Where the checker runs as root, it installs a project's dependencies itself, so that no
learner code runs with write access to the shared package cache (ADR 0016). That is safe
only for requirements that are plain names and versions from the index, installed as
wheels (`uv pip install --no-build`: an sdist's build is code too, and anyone may publish
one). So the checker never hands uv the learner's files: it reads them as text, and
writes a requirements file of its own from the lines that pass `plain`; one line that
does not (a folder, a URL, an option, an include it cannot follow) and the learner's own
user installs everything, with a cache of the run's own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement

HASH = re.compile(r"--hash=[a-z0-9]+:[0-9a-f]+")  # a pin's digest, as uv export writes it
MAX_INCLUDES = 10  # dependency groups nested deeper than this are a loop


def plain(line: str) -> str | None:
    """`line` as a requirement the checker may install (a name, extras, a version, a
    marker), or None when it names a folder, a URL or anything else."""
    text = line.strip()
    if not text or text.startswith("-"):
        return None
    try:
        requirement = Requirement(text)
    except InvalidRequirement:
        return None
    return None if requirement.url else str(requirement)


def all_plain(lines: Iterable[str]) -> list[str] | None:
    """Every requirement of `lines` (comments and blank lines skipped, a line ending in a
    backslash joined to the next), or None when one is not plain. A requirement keeps
    its `--hash` options, as `uv export` writes them: uv checks what it downloads."""
    found = []
    for line in _logical(lines):
        stripped = line.split("#", 1)[0].strip() if line.lstrip().startswith("#") else line
        stripped = stripped.split(" #", 1)[0].strip()
        if not stripped:
            continue
        words = stripped.split()
        hashes = [w for w in words if HASH.fullmatch(w)]
        requirement = plain(" ".join(w for w in words if not HASH.fullmatch(w)))
        if requirement is None:
            return None
        found.append(" ".join([requirement, *hashes]))
    return found


def _logical(lines: Iterable[str]) -> Iterator[str]:
    """`lines` with each line that ends in a backslash joined to the next."""
    pending = ""
    for line in lines:
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        yield pending + line
        pending = ""
    if pending:
        yield pending


def declared(
    pyproject: Mapping[str, Any], group: str | None, extras: Iterable[str]
) -> list[str] | None:
    """The dependencies pyproject.toml declares, with those of the `extras` and of the
    dependency group `group` (its includes followed): None when one is not plain, or
    when the dependencies are left to a build."""
    project = pyproject.get("project")
    if not isinstance(project, dict):
        return None
    dynamic = project.get("dynamic") or []
    if not isinstance(dynamic, list) or {"dependencies", "optional-dependencies"} & set(dynamic):
        return None
    lines: list[Any] = list(project.get("dependencies") or [])
    optional = project.get("optional-dependencies") or {}
    if not isinstance(optional, dict):
        return None
    for extra in extras:
        lines += list(optional.get(extra) or [])
    if group is not None:
        grouped = _group(pyproject.get("dependency-groups"), group, 0)
        if grouped is None:
            return None
        lines += grouped
    if not all(isinstance(line, str) for line in lines):
        return None
    return all_plain(lines)


def _group(groups: Any, name: str, depth: int) -> list[Any] | None:
    if not isinstance(groups, dict) or depth > MAX_INCLUDES:
        return None
    found: list[Any] = []
    for entry in groups.get(name) or []:
        if isinstance(entry, dict) and isinstance(entry.get("include-group"), str):
            included = _group(groups, entry["include-group"], depth + 1)
            if included is None:
                return None
            found += included
        else:
            found.append(entry)
    return found
