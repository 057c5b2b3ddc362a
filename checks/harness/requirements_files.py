"""A project's requirements files, read as pip reads them, into one file the checker installs.

`requirements.txt` often holds the pins a project was tested with, and a test file
(`requirements-dev.txt`) often starts with `-r requirements.txt` and `-e .`. The checker
installs those pins together with the project, but installs the project itself from its
folder, built as a user would get it: so its includes are followed (`-r`, `-c`, relative
to the file that names them), and the lines that install the project itself (`-e .`,
`.[dev]`, its own name from a `pip freeze`) are left out, keeping their extras. Every other
line stays as written, so uv reports a wrong one in the learner's own words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

INCLUDE = re.compile(r"^(-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+)(\S.*)$")
EDITABLE = re.compile(r"^(?:-e|--editable)(?:\s*=\s*|\s+)(\S.*)$")
LOCAL = re.compile(r"^(?:\.|/|~|file:)")  # a folder or archive on this machine
PATH_AND_EXTRAS = re.compile(r"^(?P<path>[^\[;]*?)\s*(?:\[(?P<extras>[^\]]*)\])?\s*(?:;.*)?$")
MAX_DEPTH = 10  # includes nested deeper than this are a loop


@dataclass
class Flattened:
    requirements: list[str] = field(default_factory=list)  # logical lines, as written
    constraints: list[str] = field(default_factory=list)
    extras: set[str] = field(default_factory=set)  # of the project itself (`-e .[dev]`)
    # Lines the cache key cannot stand for: a local folder or a URL (what they hold may
    # change), an include outside the project; such a project installs afresh every run.
    shareable: bool = True

    def text(self) -> str:
        """What decides the install, for the cache key."""
        extras = ",".join(sorted(self.extras))
        return "\n".join([*self.requirements, "-- constraints", *self.constraints, extras])

    def write(self, folder: Path) -> list[str]:
        """Write the files uv installs from into `folder`; uv pip's arguments for them."""
        args = []
        for name, lines, option in (
            ("requirements-pinned.txt", self.requirements, "-r"),
            ("constraints-pinned.txt", self.constraints, "-c"),
        ):
            if lines:
                path = folder / name
                path.write_text("\n".join(lines) + "\n", encoding="utf-8")
                args += [option, str(path)]
        return args


def flatten(project: Path, names: list[str], own_name: str | None) -> Flattened:
    """Read the requirements files `names` of `project` (whose package is `own_name`)."""
    flat = Flattened()
    for name in names:
        _read(project, project / name, own_name, flat, constraint=False, depth=0)
    return flat


def _read(
    project: Path, path: Path, own_name: str | None, flat: Flattened, constraint: bool, depth: int
) -> None:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        flat.shareable = False
        return
    for line in logical_lines(text):
        include = INCLUDE.match(line)
        if include:
            target = (path.parent / include.group(2).strip()).resolve()
            nested = constraint or include.group(1) in ("-c", "--constraint")
            inside = target.is_relative_to(project.resolve()) and target.is_file()
            if inside and depth < MAX_DEPTH:
                _read(project, target, own_name, flat, nested, depth + 1)
            else:  # left for uv to report, or to read outside the project
                flat.shareable = False
                (flat.constraints if nested else flat.requirements).append(line)
            continue
        if not constraint and _installs_project(project, line, own_name, flat):
            continue
        if _direct(line):
            flat.shareable = False
        (flat.constraints if constraint else flat.requirements).append(line)


def logical_lines(text: str) -> list[str]:
    """Lines as pip reads them: continuations joined, comments and blank lines dropped."""
    joined = re.sub(r"\\\r?\n", " ", text)
    lines = []
    for raw in joined.splitlines():
        line = re.sub(r"(^|\s)#.*$", "", raw).strip()
        if line:
            lines.append(line)
    return lines


def _installs_project(project: Path, line: str, own_name: str | None, flat: Flattened) -> bool:
    """Whether `line` installs the project itself; its extras are kept in `flat`."""
    editable = EDITABLE.match(line)
    target = editable.group(1) if editable else line
    if LOCAL.match(target):
        found = PATH_AND_EXTRAS.match(target.removeprefix("file:"))
        if found and _is_folder(project, found.group("path")):
            extras = found.group("extras") or ""
            flat.extras |= {e.strip() for e in extras.split(",") if e.strip()}
            return True
        return False
    egg = re.search(r"[#&]egg=([\w.-]+)", target)  # a `pip freeze` of an editable clone
    if egg and own_name and canonicalize_name(egg.group(1)) == canonicalize_name(own_name):
        return True
    try:
        requirement = Requirement(re.split(r"\s--?\w", target, maxsplit=1)[0])
    except InvalidRequirement:
        return False
    if own_name is None or canonicalize_name(requirement.name) != canonicalize_name(own_name):
        return False
    flat.extras |= set(requirement.extras)
    return True


def _is_folder(project: Path, written: str) -> bool:
    path = written.strip().removeprefix("//")
    return bool(path) and (project / Path(path).expanduser()).resolve() == project.resolve()


def _direct(line: str) -> bool:
    """Whether `line` installs from a folder, an archive or a URL rather than an index."""
    editable = EDITABLE.match(line)
    if line.startswith("-") and not editable:
        return False  # an option: --index-url, --hash, --pre
    target = editable.group(1) if editable else line
    return bool(LOCAL.match(target)) or "://" in target or "@" in target.split(";")[0]
