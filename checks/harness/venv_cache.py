"""Reusing a learner's installed dependencies across runs, keyed by what declares them.

Installing a project's dependencies and test tools, and compiling their bytecode, is most
of a run's set-up: about 2 s for a FastAPI project, while the project itself installs in
0.1 s. A learner re-checks after editing their code far more often than after editing
their dependencies, so the checker keeps one venv of dependencies per *declaration*: the
files that say what to install (pyproject.toml, setup.py, setup.cfg, requirements*.txt),
the lock that pins their versions (uv.lock, or the requirements files with their includes:
lock.py), the Python, uv and its settings, and the tools the stage adds. A run hard-links
that venv into its workspace (tens of milliseconds) and installs only the project into
the copy.

An entry is built from scratch by uv, never taken from a venv learner code has run in,
and frozen before any run uses it: its files belong to the checker and are read-only, so
a learner program may delete its run's links but never write through them into the
cache. ADR 0011 records the trade-offs.
"""

from __future__ import annotations

import contextlib
import fnmatch
import hashlib
import json
import os
import secrets
import shutil
import stat
import subprocess
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

from checks.harness import process
from checks.harness.containment import Containment, hidden_by_private_tmp, user_cache
from checks.harness.lock import detect
from checks.harness.process import Completed
from checks.harness.workspace import Workspace, hand_over_venv, uv_binary, without_groups

DECLARING = ("pyproject.toml", "setup.py", "setup.cfg", "requirements*.txt")
KEEP = 16  # entries kept, most recently used first: a cohort shares a handful of stacks
UNUSED_DAYS = 14  # an entry nobody used for this long goes, however few there are
STALE_BUILD = 3600.0  # seconds after which a half-built entry is a killed run's leftover
FORMAT = "2"  # bump when what an entry holds changes
DISABLE = "ROADMAP_VENV_CACHE"  # set to "off" to install everything on every run


@dataclass(frozen=True)
class VenvCache:
    folder: Path
    building: Path  # where this run builds a missing entry: the watchdog deletes it

    @classmethod
    def for_run(cls, jail: Containment, work_root: Path) -> VenvCache | None:
        """The cache this run may use, or None when it would not help or not be safe:
        turned off, on another filesystem than the workspace (no hard links), or hidden
        from the learner's programs by their private /tmp."""
        if os.environ.get(DISABLE, "").lower() in ("off", "0", "no"):
            return None
        base = jail.work_base()
        folder = (base.parent if base else user_cache()) / "venvs"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            same_disk = folder.stat().st_dev == work_root.stat().st_dev
        except OSError:
            return None
        hidden = jail.namespaces and jail.private_tmp and hidden_by_private_tmp(folder)
        if not same_disk or hidden:
            return None
        return cls(folder, folder / f".building-{secrets.token_hex(4)}")

    def key(self, project: Path, python: str, tools: list[str]) -> str:
        """What decides the installed dependencies; any change gives a new entry."""
        digest = hashlib.sha256(FORMAT.encode())
        for program in (python, uv_binary()):
            found = Path(program).resolve().stat()
            digest.update(f"{program}\0{found.st_size}\0{found.st_mtime_ns}\0".encode())
        digest.update("\0".join(tools).encode())
        uv_settings = sorted((k, v) for k, v in os.environ.items() if k.startswith("UV_"))
        digest.update(repr(uv_settings).encode())
        for name in _declaring(project):
            digest.update(f"\0{name}\0".encode() + declaration(project / name))
        digest.update(b"\0lock\0" + detect(project).fingerprint)
        return digest.hexdigest()[:32]

    def provide(self, workspace: Workspace, python: str, tools: list[str]) -> Completed | None:
        """Fill `workspace.venv` with the dependencies and `tools` (a hard-linked copy of
        the cached entry, built first when missing); None when the cache cannot help, and
        the caller installs as if there were no cache."""
        if not _declaring(workspace.project):
            return None  # nothing declares dependencies: not a project uv can install
        if not workspace.lock.shareable:
            return None  # it installs a folder or URL whose contents the key cannot see
        jail = process.containment()
        if jail is not None and jail.uid is not None and not workspace.checker_installs:
            return None  # only learner code can say what it installs: no venv of it is shared
        key = self.key(workspace.project, python, tools)
        entry = self.folder / key
        built: Completed | None = None
        if not entry.is_dir():
            built = self._build(workspace, python, tools, entry)
            if built is None:
                return None
        try:
            _link_copy(entry, workspace.venv)
        except OSError:  # pruned by a concurrent run, or a link refused: install afresh
            shutil.rmtree(workspace.venv, ignore_errors=True)
            return None
        with contextlib.suppress(OSError):
            os.utime(entry)  # most recently used: pruned last
        return built or Completed(("uv", "pip", "install", *tools), 0, f"reused {key}\n", "")

    def _build(
        self, workspace: Workspace, python: str, tools: list[str], entry: Path
    ) -> Completed | None:
        """Install the declared dependencies and the tools into a new entry, then freeze
        and publish it: as the checker when they are declared statically (no learner code
        runs, and what uv downloads stays in the shared cache for the next run), else as
        the learner's user (a setup.py is learner code), whose downloads stay in the run."""
        self._prune()
        building = self.building
        building.mkdir()
        checker = workspace.checker_installs
        try:
            if not checker:
                process.hand_over(building)
            venv = building / "venv"
            made = workspace.uv(
                "venv", "--quiet", "--relocatable", "--python", python, str(venv),
                as_checker=checker,
            )  # fmt: skip
            if not made.ok:
                return None
            if checker:  # plain requirements, wheels only: the tools' --group is among them
                declared = workspace.checker_requirements()
                tools = without_groups(tools)
            else:
                pinned = workspace.pinned(str(venv / "bin" / "python"))
                if isinstance(pinned, Completed):
                    return None  # a lock uv refuses: the plain install reports it
                declared = _declared_by_files(workspace, pinned)
            installed = workspace.uv(
                "pip", "install", "--python", str(venv / "bin" / "python"), *declared, *tools,
                extra_env={"UV_LINK_MODE": "copy"},  # the entry owns its files, not uv's cache
                as_checker=checker,
            )  # fmt: skip
            if not installed.ok:
                return None
            freeze(venv)
            try:
                venv.rename(entry)
            except OSError:  # another run published the same entry first: use theirs
                if not entry.is_dir():
                    return None
            return installed
        finally:
            remove(building)

    def _prune(self) -> None:
        """Keep the KEEP most recently used entries, and no killed run's half-built one."""
        now = time.time()
        entries: list[tuple[float, Path]] = []
        for path in self.folder.iterdir():
            with contextlib.suppress(OSError):
                age = now - path.stat().st_mtime
                if path.name.startswith(".building-"):
                    if age > STALE_BUILD:
                        remove(path)
                elif age > UNUSED_DAYS * 86400:
                    remove(path)
                else:
                    entries.append((age, path))
        for _, path in sorted(entries)[KEEP - 1 :]:
            remove(path)


# What of a pyproject.toml decides what `uv pip install -r pyproject.toml --group ...`
# installs; the rest (authors, description, [tool.roadmap]) changes nothing installed.
PYPROJECT_DEPENDENCY_KEYS = ("name", "dependencies", "optional-dependencies", "dynamic")


def declaration(path: Path) -> bytes:
    """The part of a declaring file that decides the dependencies: of a pyproject.toml with
    static dependencies, its dependency tables only, so learners whose projects differ in
    name, authors or stage share an entry; of any other file, every byte."""
    data = path.read_bytes()
    if path.name != "pyproject.toml":
        return data
    try:
        parsed = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return data
    project, tool = parsed.get("project"), parsed.get("tool")
    if not isinstance(project, dict) or not isinstance(tool, dict | None):
        return data
    dynamic = project.get("dynamic") or []
    if not isinstance(dynamic, list) or {"dependencies", "optional-dependencies"} & set(dynamic):
        return data  # the build decides them: only the whole file (and setup.py) can say
    kept = {
        "project": {key: project.get(key) for key in PYPROJECT_DEPENDENCY_KEYS},
        "requires-python": project.get("requires-python"),
        "dependency-groups": parsed.get("dependency-groups"),
        "build-system": parsed.get("build-system"),
        "tool.uv": (tool or {}).get("uv"),  # sources, indexes, constraints
    }
    return json.dumps(kept, sort_keys=True, default=str).encode()


def _declared_by_files(workspace: Workspace, pinned: list[str]) -> list[str]:
    """uv pip's arguments for the dependencies as the project's own files declare them
    (read by uv: for the learner's user alone), with the lock's pins."""
    if workspace.lock.uv_lock:
        return pinned
    extras = workspace.lock.requirements.extras if workspace.lock.requirements else set()
    found = ["-r", _declaring(workspace.project)[0]]
    return [*found, *[a for extra in sorted(extras) for a in ("--extra", extra)], *pinned]


def _declaring(project: Path) -> list[str]:
    """The top-level files of `project` that declare what it installs, pyproject first."""
    names = sorted(os.listdir(project))
    found = [n for pattern in DECLARING for n in names if fnmatch.fnmatch(n, pattern)]
    return [n for n in found if (project / n).is_file()]


def freeze(venv: Path) -> None:
    """Make every file the checker's and read-only. Folders stay open to their owner, the
    checker, so a run's copy and a prune can delete them without first unfreezing."""
    owner = (os.geteuid(), os.getegid()) if os.geteuid() == 0 else None
    (venv / ".lock").unlink(missing_ok=True)  # uv's lock: each copy makes its own
    for folder, dirs, files in os.walk(venv):
        for name in dirs + files:
            path = os.path.join(folder, name)
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode):
                continue
            if owner:
                os.chown(path, *owner)
            if not stat.S_ISDIR(info.st_mode):
                os.chmod(path, stat.S_IMODE(info.st_mode) & ~0o222)
    if owner:
        os.chown(venv, *owner)


def _link_copy(entry: Path, target: Path) -> None:
    """Copy `entry` to `target` as new folders holding hard links to its frozen files (by
    `cp`, which leaves the interpreter free for the checks meanwhile), then give the
    folders uv installs the project into to the learner's user."""
    copied = subprocess.run(["cp", "-al", str(entry), str(target)], capture_output=True)
    if copied.returncode:
        raise OSError(copied.stderr.decode(errors="replace").strip())
    hand_over_venv(target)


def remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
