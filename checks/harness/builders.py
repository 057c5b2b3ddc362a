"""Build environments the checker makes, in which the learner's project is built.

Building a project runs its code (a setup.py, a build backend's hooks), so it runs as the
learner's user, contained. Before, that build also installed its build backend from the
shared package cache, which made the cache writable by the learner's user: one project's
build could plant a file that the next project installs. Now, where the checker runs as
root, the learner's user never touches the shared cache:

- the checker installs the project's build requirements (`[build-system] requires`,
  read from pyproject.toml as text) into a venv of its own, one per set of requirements,
  frozen like the reused dependency venvs (read-only to the learner's user);
- the learner's user builds the project's wheel with that venv's Python, without build
  isolation, offline, with a cache of the run's own; then installs the wheel, without
  dependencies (the checker installed them).

A project whose build requirements name a folder or a URL gets no builder: it is built
the old way, still as the learner's user, with a cache of the run's own.
"""

from __future__ import annotations

import hashlib
import secrets
import tomllib
from dataclasses import replace
from pathlib import Path

from checks.harness import plain, venv_cache
from checks.harness.process import Completed
from checks.harness.workspace import LEARNER_CACHE, Workspace, uv_binary

DEFAULT_REQUIRES = ["setuptools>=40.8.0"]  # PEP 517's default for a project that says none
FORMAT = "1"


def requires(project: Path) -> list[str] | None:
    """The project's build requirements, or None when they are not plain names from an
    index (a folder or URL: that would be learner code run as the checker)."""
    try:
        data = tomllib.loads((project / "pyproject.toml").read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return DEFAULT_REQUIRES
    system = data.get("build-system")
    listed = system.get("requires") if isinstance(system, dict) else None
    if listed is None:
        return DEFAULT_REQUIRES
    if not isinstance(listed, list) or not all(isinstance(r, str) for r in listed):
        return None
    return plain.all_plain(listed)


def provide(workspace: Workspace, python: str) -> str | None:
    """The Python of a frozen build environment for the project (made first when this
    machine has none for its requirements), or None when there can be none."""
    wanted = requires(workspace.pristine)
    if wanted is None:
        return None
    folder = LEARNER_CACHE / "builders"
    digest = hashlib.sha256(FORMAT.encode())
    for program in (python, uv_binary()):
        found = Path(program).resolve().stat()
        digest.update(f"{program}\0{found.st_size}\0{found.st_mtime_ns}\0".encode())
    digest.update("\0".join(sorted(wanted)).encode())
    entry = folder / digest.hexdigest()[:32]
    if not entry.is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        building = folder / f".building-{secrets.token_hex(4)}"
        try:
            made = workspace.uv(
                "venv", "--quiet", "--python", python, str(building), as_checker=True
            )
            installed = made.ok and workspace.uv(
                "pip", "install", "--no-build", "--python", str(building / "bin" / "python"),
                *wanted, extra_env={"UV_LINK_MODE": "copy"}, as_checker=True,
            ).ok  # fmt: skip
            if not installed:
                return None
            venv_cache.freeze(building)
            try:
                building.rename(entry)
            except OSError:  # another run made it first: use theirs
                if not entry.is_dir():
                    return None
        finally:
            venv_cache.remove(building)
    return str(entry / "bin" / "python")


def install_project(workspace: Workspace, python: str) -> Completed:
    """Build the project's wheel as the learner's user, offline, in the checker's build
    environment, and install it without dependencies; the old way (uv pip install, as the
    learner's user, with the run's own cache) where the checker does not install them."""
    if not workspace.checker_installs:
        return workspace.install_project()
    builder = provide(workspace, python)
    if builder is None:
        return workspace.install_project()
    dist = workspace.root / "dist"
    built = workspace.uv(
        "build", "--wheel", "--no-build-isolation", "--offline", "--python", builder,
        "--out-dir", str(dist), ".",
    )  # fmt: skip
    wheels = sorted(dist.glob("*.whl")) if built.ok else []
    if not wheels:
        return replace(built, argv=("uv", "build", "--wheel", "."))
    return workspace.uv(
        "pip", "install", "--no-deps", "--offline", "--python", str(workspace.python),
        str(wheels[0]),
    )  # fmt: skip
