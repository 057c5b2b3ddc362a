"""Which lock decides the versions a project's dependencies install at, and what the report
says about it.

A learner runs their code with the versions their lock holds; the newest versions their
pyproject.toml allows can break a project that works (passlib with bcrypt 5 answers 500).
So what the learner committed decides, in this order:

- `uv.lock`: `uv export --locked` writes its pins as requirements (the dependencies and the
  test group, never the project), which are installed exactly, without resolving. A lock
  that no longer matches pyproject.toml stops the install, with `uv lock` as the fix: the
  checker never quietly installs something else;
- `requirements.txt` at the root, and a test file (`requirements-dev.txt`...) when no
  dependency group holds the test tools: installed together with the project, so their
  pins hold (requirements_files.py);
- nothing: the newest versions the project allows, as `uv pip install .` picks them.

The files are read as text from the checker's copy. Nothing here runs learner code;
`uv export` may (a project whose metadata a build computes), and runs contained.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from checks.harness import plain
from checks.harness.manifest.project import read as read_project
from checks.harness.process import Completed
from checks.harness.requirements_files import Flattened, flatten

UV_LOCK = "uv.lock"
REQUIREMENTS = "requirements.txt"
TEST_REQUIREMENTS = (
    "requirements-dev.txt",
    "requirements-test.txt",
    "requirements-tests.txt",
    "dev-requirements.txt",
    "test-requirements.txt",
)
OUT_OF_DATE = "needs to be updated"  # uv's words when --locked refuses a lock (uv 0.13)
LOCAL_SOURCES = ("directory", "editable", "path", "virtual")  # uv.lock's kinds of folder


@dataclass(frozen=True)
class Lock:
    files: tuple[str, ...] = ()  # what pins the versions, relative to the project
    test_group: str | None = None
    requirements: Flattened | None = None  # the pins of requirements files
    # False when it installs a folder or URL whose contents the lock does not pin, so a
    # venv of its dependencies cannot be reused (venv_cache.py).
    shareable: bool = True
    fingerprint: bytes = b""  # what of the lock decides the install
    # The requirements the checker may install itself (plain.py): what pyproject.toml
    # declares, its test group and the requirements files' lines, when every one is a
    # plain name from the index; None when one is not, or a build decides them. With a
    # uv.lock, the pins `uv export` writes are checked the same way at install time.
    declared: tuple[str, ...] | None = None

    @property
    def uv_lock(self) -> bool:
        return self.files == (UV_LOCK,)

    @property
    def note(self) -> str:
        """One line for the report: what decided the versions installed."""
        if self.uv_lock:
            return "Dependencies: installed as uv.lock pins them."
        if self.files:
            return (
                f"Dependencies: installed from {_and(self.files)} with your project, so "
                "their pins hold (there is no uv.lock)."
            )
        return (
            "Dependencies: no uv.lock, so the newest versions your pyproject.toml allows were "
            "installed (optional: `uv lock` pins the ones you tested with; commit uv.lock and "
            "the checker installs exactly those)."
        )

    @property
    def command(self) -> str:
        """What a learner runs to install the project the way the checker does."""
        if self.uv_lock:
            return "uv sync --locked --no-editable"
        return " ".join(["uv pip install", *(f"-r {name}" for name in self.files), "."])

    @property
    def target(self) -> str:
        """The project as uv pip installs it, with the extras its requirements ask for."""
        extras = sorted(self.requirements.extras) if self.requirements else []
        return f".[{','.join(extras)}]" if extras else "."

    def export(self, python: str, output: Path) -> list[str]:
        """uv's arguments that write the pins of uv.lock, as requirements, to `output`."""
        group = ["--group", self.test_group] if self.test_group else []
        return [
            "export", "--locked", "--format", "requirements-txt", "--no-emit-project",
            "--no-editable", "--no-default-groups", *group, "--no-header", "--quiet",
            "--python", python, "--output-file", str(output),
        ]  # fmt: skip


def detect(project: Path) -> Lock:
    """The lock of the project in folder `project`."""
    declared = project / "pyproject.toml"
    pyproject = (_toml(declared.read_bytes()) if declared.is_file() else None) or {}
    test_group = read_project(project, pyproject).test_group
    if (project / UV_LOCK).is_file():
        locked = (project / UV_LOCK).read_bytes()
        fingerprint = locked + f"\0{test_group}".encode()
        shareable = _no_local_sources(locked)
        said = plain.declared(pyproject, test_group, ()) if shareable else None
        return Lock((UV_LOCK,), test_group, None, shareable, fingerprint, _tuple(said))
    names = [REQUIREMENTS] if (project / REQUIREMENTS).is_file() else []
    if test_group is None:
        names += [name for name in TEST_REQUIREMENTS if (project / name).is_file()][:1]
    if not names:
        return Lock(
            test_group=test_group, declared=_tuple(plain.declared(pyproject, test_group, ()))
        )
    own = pyproject.get("project")
    name = own.get("name") if isinstance(own, dict) else None
    flat = flatten(project, names, name if isinstance(name, str) else None)
    said = plain.declared(pyproject, test_group, sorted(flat.extras))
    pins = plain.all_plain(flat.requirements) if flat.shareable and not flat.constraints else None
    both = None if said is None or pins is None else [*said, *pins]
    return Lock(tuple(names), test_group, flat, flat.shareable, flat.text().encode(), _tuple(both))


def note(project: Path) -> str:
    """What decided the versions of the dependencies of the project in folder `project`."""
    try:
        return detect(project).note
    except OSError:
        return "Dependencies: the checker could not read your project's files."


def out_of_date(result: Completed) -> bool:
    """Whether `result` is uv refusing a uv.lock that no longer matches pyproject.toml."""
    return "export" in result.argv and result.exit_code == 1 and OUT_OF_DATE in result.stderr


def _tuple(found: list[str] | None) -> tuple[str, ...] | None:
    return None if found is None else tuple(found)


def _toml(data: bytes) -> dict[str, object] | None:
    try:
        return tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None


def _no_local_sources(locked: bytes) -> bool:
    """Whether uv.lock pins every package but the project to an index or a commit: a
    local folder it names besides the project's own can change without the lock."""
    parsed = _toml(locked)
    packages = parsed.get("package") if parsed else None
    if not isinstance(packages, list):
        return False
    for package in packages:
        source = package.get("source") if isinstance(package, dict) else None
        if not isinstance(source, dict):
            continue
        if any(kind in source and source[kind] != "." for kind in LOCAL_SOURCES):
            return False
    return True


def _and(names: tuple[str, ...]) -> str:
    return " and ".join(names) if len(names) < 3 else ", ".join(names[:-1]) + f" and {names[-1]}"
