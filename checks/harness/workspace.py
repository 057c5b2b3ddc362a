"""A private copy of the learner's repository with its own virtual environment.

The learner's folder is only ever read: it is copied once, and everything (the build, the
venv, data files, a HOME) lives in a temporary folder that is deleted afterwards.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from checks.harness import plain, process
from checks.harness.containment import hidden_by_private_tmp, user_cache
from checks.harness.lock import Lock, detect
from checks.harness.process import Completed, run

SKIP_NAMES = {
    "__pycache__",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".nox",
    ".tox",
    "node_modules",
}
# The caller's own Python environment, which uv must not use for the learner's project (nox
# sets the UV_ ones for its sessions; the learner's user may not even read that venv).
FOREIGN_PYTHON_VARS = {
    "VIRTUAL_ENV",
    "CONDA_PREFIX",
    "PYTHONPATH",
    "PYTHONHOME",
    "UV_PROJECT",
    "UV_PROJECT_ENVIRONMENT",
    "UV_PYTHON",
}
INSTALL_TIMEOUT = 300.0  # a cold cache may download a build backend and test tools
MAX_REPO_MIB = 200  # a learner's project is code; past this it holds data or a venv
# Where the learner's user (when the checker runs as root) keeps its uv cache and tools.
LEARNER_CACHE = Path(os.environ.get("ROADMAP_LEARNER_CACHE", "/var/cache/backend-roadmap"))


def uv_binary() -> str:
    """The uv that ships with the checker's own environment (a pinned PyPI wheel), copied
    where the learner's user can run it when the checker's own folder is closed to it."""
    try:
        from uv import find_uv_bin

        found = str(find_uv_bin())
    except (ImportError, FileNotFoundError):
        which = shutil.which("uv")
        if which is None:
            raise RuntimeError("uv is not installed; install it with `pip install uv`") from None
        found = which
    if runnable_inside(Path(found)):
        return found
    copy = _tools_cache() / "bin" / "uv"
    if not copy.is_file() or copy.stat().st_size != Path(found).stat().st_size:
        copy.parent.mkdir(parents=True, exist_ok=True)
        partial = copy.with_name(f".uv-{os.getpid()}")  # workers may copy at once
        shutil.copy2(found, partial)
        partial.chmod(0o755)
        os.replace(partial, copy)
    return str(copy)


def shared_cache() -> Path:
    """The package cache the checker's own installs use (as root: in a folder only root may
    enter; learners' builds get a cache of the run's own). An older cache the learner's
    user owned is deleted: anything in it could have been planted."""
    closed = LEARNER_CACHE / "checker"  # 0700: a learner's program cannot even reach it
    cache = closed / "packages"
    if not cache.is_dir():
        closed.mkdir(mode=0o700, parents=True, exist_ok=True)
        cache.mkdir(mode=0o700, exist_ok=True)
        old = LEARNER_CACHE / "uv"  # the learner's user owned it: nothing in it is trusted
        if os.geteuid() == 0 and old.is_dir() and old.stat().st_uid != 0:
            shutil.rmtree(old, ignore_errors=True)
    return cache


def runnable_inside(program: Path) -> bool:
    """Whether a contained program can run `program`: its user may reach it, and no
    private /tmp hides it (the checker itself may live in a clone under /tmp)."""
    jail = process.containment()
    if jail is None or not jail.namespaces:
        return True
    real = program.resolve()
    if jail.private_tmp and hidden_by_private_tmp(real):
        return False
    return jail.uid is None or reachable(real)


def _tools_cache() -> Path:
    """Where copies of the checker's tools go: the learner's cache as root, else ours."""
    return LEARNER_CACHE if os.geteuid() == 0 else user_cache()


def reachable(path: Path) -> bool:
    """Whether any user may run `path`: every folder above it is open to others (o+x)."""
    real = path.resolve()
    folders_open = all(folder.stat().st_mode & stat.S_IXOTH for folder in real.parents)
    return folders_open and bool(real.stat().st_mode & stat.S_IXOTH)


class TooBig(Exception):
    """The repository is larger than the checker copies."""


class PythonMissing(Exception):
    """No interpreter on this machine satisfies the project's requires-python."""


def _size(source: Path, stop_after: int) -> int:
    """The bytes the copy would hold, counted until `stop_after` (a huge repo is not read)."""
    total = 0
    for folder, dirs, files in os.walk(source):
        skipped = _skip(folder, dirs)  # once per folder: .git/objects alone has 256
        dirs[:] = [d for d in dirs if d not in skipped]
        for name in files:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(folder, name)).st_size
        if total > stop_after:
            break
    return total


LOCAL_SETTINGS = re.compile(r"\.env(\.(?!example$|sample$|template$|dist$)[\w.-]+)?$")


def _skip_local_settings(folder: str, names: list[str]) -> set[str]:
    """What the copy the learner's programs run in leaves out besides `_skip`: a machine's
    own settings (`.env`, `.env.local`), which a deploy does not have and which would
    answer for a variable the checker left unset on purpose."""
    return _skip(folder, names) | {n for n in names if LOCAL_SETTINGS.fullmatch(n)}


def _skip(folder: str, names: list[str]) -> set[str]:
    """Leave caches and virtual environments behind: they are large and not the learner's."""
    skipped = {name for name in names if name in SKIP_NAMES}
    skipped |= {name for name in names if (Path(folder, name) / "pyvenv.cfg").is_file()}
    return skipped


ENCLOSING_LEVELS = 3  # repo/backend, repo/apps/api, repo/services/api/app: not further


def enclosing_repository(source: Path) -> Path | None:
    """The git repository `source` lies in when it is not one's root itself (a project in
    `backend/` of a repository): found by its `.git`, without running git, at most a few
    folders up and never at a home folder or the root (a repository of dotfiles is not
    the learner's project)."""
    if (source / ".git").exists():
        return None
    stops = {Path.home().resolve(), Path("/")}
    for folder in list(source.parents)[:ENCLOSING_LEVELS]:
        if folder in stops:
            return None
        if (folder / ".git").exists():
            return folder
    return None


def _ignore_files(repository: Path, source: Path) -> list[Path]:
    """The .gitignore files between the repository's root and `source`, which decide
    what git ignores inside it."""
    folders = [repository, *reversed(source.relative_to(repository).parents)]
    found = [repository / folder / ".gitignore" for folder in folders]
    return [path for path in found if path.is_file() and path.parent != source]


@dataclass
class Workspace:
    source: Path  # the learner's project folder: never written to
    root: Path  # temporary; deleted by `close`
    # Where the project lies in its git repository, when it is a subfolder ("backend"):
    # the pristine copy then holds the repository's history around it.
    in_repository: str = ""
    _pinned: list[str] | Completed | None = field(
        default=None, init=False, repr=False, compare=False
    )
    _checker_args: list[str] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def project(self) -> Path:
        return self.root / "project"

    @property
    def venv(self) -> Path:
        return self.root / "venv"

    @property
    def home(self) -> Path:
        """HOME of the programs that belong to no check, and the learner's user's home in
        the password database; a check's programs get their storage's own HOME."""
        return self.root / "home"

    @property
    def bin(self) -> Path:
        return self.venv / "bin"

    @property
    def python(self) -> Path:
        return self.bin / "python"

    @property
    def tmp(self) -> Path:
        """The private /tmp (and TMPDIR) of the programs that belong to no check (the
        build, git, migrations); a check's programs get their storage's own."""
        return self.root / "tmp"

    @property
    def pristine(self) -> Path:
        """A second copy, made before any learner code ran and never given to the learner's
        user: what the checker reads as text (modules, tests, git history) comes from here,
        so a program cannot rewrite what it is judged on. For a project in a subfolder of
        its repository, the copy sits at the same place under a copy of that repository's
        .git folder, so git reads its history as it would in the learner's clone."""
        return self.root / "pristine" / self.in_repository

    @property
    def own(self) -> Path:
        """The checker's files for this run that learner programs read but must not change
        (a coverage configuration, the pins it installs): beside the workspace, not in it,
        since the learner's user owns the workspace's folder and could replace anything in
        it."""
        return self.root.with_name(self.root.name + ".checker")

    @property
    def repository(self) -> Path:
        """The pristine copy's repository root (the project's folder, or above it)."""
        return self.root / "pristine"

    @staticmethod
    def reserve(base: Path | None = None) -> Path:
        """The folder a workspace will fill: made first, so a watchdog can own it."""
        return Path(tempfile.mkdtemp(prefix="roadmap-check-", dir=base))

    @classmethod
    def create(
        cls,
        source: Path,
        max_mib: int = MAX_REPO_MIB,
        base: Path | None = None,
        root: Path | None = None,
    ) -> Workspace:
        repository = enclosing_repository(source)
        size = _size(source, max_mib << 20)
        size += _size(repository / ".git", max_mib << 20) if repository else 0
        if size > max_mib << 20:
            raise TooBig(
                f"your repository holds more than {max_mib} MiB of files besides caches and "
                "virtual environments; the checker copies only projects below that. Look "
                "for data files, databases or build output to delete or .gitignore"
            )
        inside = str(source.relative_to(repository)) if repository else ""
        workspace = cls(source=source, root=root or cls.reserve(base), in_repository=inside)
        shutil.copytree(source, workspace.project, symlinks=True, ignore=_skip_local_settings)
        shutil.copytree(source, workspace.pristine, symlinks=True, ignore=_skip)
        if repository is not None and (repository / ".git").is_dir():  # history, ignores
            shutil.copytree(repository / ".git", workspace.repository / ".git", symlinks=True)
            for ignore in _ignore_files(repository, source):
                target = workspace.repository / ignore.relative_to(repository)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ignore, target)
        workspace.home.mkdir()
        workspace.tmp.mkdir()
        workspace.own.mkdir(mode=0o755, exist_ok=True)
        return workspace

    def scratch(self, name: str) -> Path:
        """A fresh empty folder for one check's data files."""
        folder = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=self.root))
        process.hand_over(folder)  # the learner's programs write there
        return folder

    def env(self, **extra: str) -> dict[str, str]:
        """The environment a learner program sees: our venv first, a throw-away HOME and
        TMPDIR (a check's storage gives its own in `extra`)."""
        env = {
            "PATH": f"{self.bin}{os.pathsep}{os.environ.get('PATH', os.defpath)}",
            "HOME": str(self.home),
            "TMPDIR": str(self.tmp),
            "LANG": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONUTF8": "1",
            "NO_COLOR": "1",
            "TERM": "dumb",
            "VIRTUAL_ENV": str(self.venv),
        }
        env.update(extra)
        return env

    def uv(
        self,
        *args: str,
        timeout: float = INSTALL_TIMEOUT,
        extra_env: dict[str, str] | None = None,
        as_checker: bool = False,
    ) -> Completed:
        """Run uv on this workspace with the caller's network settings (certificates,
        proxies, indexes), so installs work where the caller's do; only settings that
        point at another Python environment are dropped.

        As the learner's user (a build runs learner code), contained, with the network an
        install needs and the shared package cache as an overlay: what it writes stays in
        the run. `as_checker`, for installs that run no learner code (dependencies read
        from static declarations), uv runs as the checker itself and fills the cache.
        """
        env = {k: v for k, v in os.environ.items() if k not in FOREIGN_PYTHON_VARS}
        jail = process.containment()
        if jail is not None and jail.uid is not None:
            # The shared cache is the checker's alone; a learner's build gets the run's own.
            cache = shared_cache() if as_checker else self.root / "uv-cache"
            env["UV_CACHE_DIR"] = str(cache)
            if not as_checker:
                env |= {"HOME": str(self.home), "XDG_CONFIG_HOME": str(self.home / ".config")}
                env |= {"TMPDIR": str(self.tmp)}
        env.update(
            UV_PYTHON_DOWNLOADS="never",  # use this machine's Python, never fetch one
            # Learner programs run with PYTHONDONTWRITEBYTECODE, so compile once here: without
            # it every run re-parses its dependencies (SQLAlchemy: ~0.7 s a process).
            UV_COMPILE_BYTECODE="1",
            UV_NO_PROGRESS="1",
            VIRTUAL_ENV=str(self.venv),
        )
        env.update(extra_env or {})
        argv = [uv_binary(), *args]
        if as_checker:
            return run(argv, cwd=self.project, env=env, timeout=timeout, learner=False)
        return run(argv, cwd=self.project, env=env, timeout=timeout, network=True)

    def interpreter(self, requires_python: str | None, declared_in: str = "pyproject.toml") -> str:
        """The Python to install with: the checker's own when it satisfies the project's
        requires-python (or python_requires in `declared_in`, setup.py or setup.cfg), else
        one uv finds on this machine (never a download)."""
        key = "requires-python" if declared_in == "pyproject.toml" else "python_requires"
        try:
            wanted = SpecifierSet(requires_python or "")
        except InvalidSpecifier:
            raise PythonMissing(
                f"{key} = {requires_python!r} in {declared_in} is not a version range; "
                f'write it like {key} = ">=3.11"'
            ) from None
        mine = ".".join(map(str, sys.version_info[:3]))
        if wanted.contains(mine, prereleases=True) and self._runnable(sys.executable):
            return sys.executable
        for candidate in _system_pythons():
            version = _version_of(candidate)
            if version and wanted.contains(version, prereleases=True):
                return candidate
        found = self.uv("python", "find", "--no-python-downloads", str(wanted), timeout=30)
        path = found.stdout.strip().splitlines()[-1] if found.ok and found.stdout.strip() else ""
        if not path or not self._runnable(path):
            raise PythonMissing(
                f"your project needs Python {wanted} ({key} in {declared_in}) and this "
                f"machine has none (the checker runs on {mine}); install one, e.g. "
                f"`uv python install`, or widen {key} if your code allows it"
            )
        return path

    @staticmethod
    def _runnable(python: str) -> bool:
        """Whether learner programs, contained, may run `python`."""
        return runnable_inside(Path(python))

    @property
    def checker_installs(self) -> bool:
        """Whether the checker installs the dependencies itself and the learner's user only
        builds the project (builders.py): where there is a user of the learner's own, and
        every dependency is a plain name from the index (plain.py, ADR 0016)."""
        jail = process.containment()
        return jail is not None and jail.uid is not None and bool(self.checker_requirements())

    def checker_requirements(self) -> list[str]:
        """uv pip's arguments for the dependencies and the test group, from a file the
        checker wrote of plain requirements only; [] when the learner's user installs them."""
        if self._checker_args is None:
            found: list[str] | None = None
            if self.lock.declared is not None and self.lock.uv_lock:
                exported = self.pinned(_python_for_the_learner())
                if not isinstance(exported, Completed):
                    text = Path(exported[1]).read_text("utf-8", errors="replace")
                    found = plain.all_plain(text.splitlines())
            elif self.lock.declared is not None:
                found = list(self.lock.declared)
            self._checker_args = []
            if found is not None:
                listed = self.own / "checker-requirements.txt"
                listed.write_text("\n".join(found) + "\n", encoding="utf-8")
                self._checker_args = ["--no-build", "-r", str(listed)]  # wheels: no code runs
        return self._checker_args

    def make_venv(self, python: str) -> Completed:
        """A fresh venv for the project; the checker's, with the folders an install writes
        to given to the learner's user, when the checker installs the dependencies."""
        checker = self.checker_installs
        made = self.uv("venv", "--quiet", "--python", python, str(self.venv), as_checker=checker)
        if made.ok and checker:
            hand_over_venv(self.venv)
        return made

    def install(self, python: str = sys.executable) -> Completed:
        """Build the learner's project into a fresh venv, the way a user would install it:
        where it may, the checker installs the dependencies (wheels only), then the learner's
        user builds and installs the project alone (builders.py); where the checker may not,
        or cannot (a package with no wheel), the learner's user installs everything."""
        made = self.make_venv(python)
        if not made.ok:
            return made
        if self.checker_installs:
            args = ["pip", "install", "--python", str(self.python), *self.checker_requirements()]
            if self.uv(*args, as_checker=True).ok:
                from checks.harness import builders  # it makes its venvs with this class

                return builders.install_project(self, python)
        return self.install_project()

    def install_project(self) -> Completed:
        """Build and install the project into the venv, beside what it already holds, with
        the dependency versions its lock pins (lock.py), as the learner's user."""
        pinned = self.pinned(str(self.python))
        if isinstance(pinned, Completed):
            return pinned
        exactly = ["--no-deps"] if self.lock.uv_lock else []  # the export is every package
        target = self.lock.target
        return self.uv("pip", "install", "--python", str(self.python), *exactly, *pinned, target)

    @cached_property
    def lock(self) -> Lock:
        """What pins the project's dependencies, read from the pristine copy."""
        return detect(self.pristine)

    def pinned(self, python: str) -> list[str] | Completed:
        """uv pip's arguments that install the dependencies as the lock pins them (none
        without a lock); of a uv.lock that cannot be exported, the failed `uv export`.
        Worked out once per run; `python` only spares uv a search for one. The export
        reads the project's metadata, which a build may compute: it runs as the learner."""
        if self._pinned is None:
            if self.lock.uv_lock:
                output = self.tmp / "uv-lock-requirements.txt"
                exported = self.uv(*self.lock.export(python, output))
                self._pinned = ["-r", str(output)] if exported.ok else exported
            elif self.lock.requirements is not None:
                self._pinned = self.lock.requirements.write(self.own)
            else:
                self._pinned = []
        return self._pinned

    def install_group(self, group: str) -> Completed:
        """Install a dependency group of the project (its test tools) into the venv: as
        the checker, the requirements it wrote hold the group already."""
        if self.checker_installs:
            return self.install_packages()
        return self.uv("pip", "install", "--python", str(self.python), "--group", group)

    def install_packages(self, *packages: str) -> Completed:
        """Install the checker's tools (pinned names) into the venv; as the checker where it
        installs the dependencies, with them (a test group is among its requirements)."""
        if self.checker_installs:
            args = [*self.checker_requirements(), *without_groups(packages)]
            return self.uv("pip", "install", "--python", str(self.python), *args, as_checker=True)
        return self.uv("pip", "install", "--python", str(self.python), *packages)


def without_groups(packages: Sequence[str]) -> list[str]:
    """uv pip's package arguments without `--group NAME` pairs (the checker's requirements
    hold the test group's packages already)."""
    kept: list[str] = []
    for argument in packages:
        if kept and kept[-1] == "--group":
            kept.pop()
        else:
            kept.append(argument)
    return [a for a in kept if a != "--group"]


def hand_over_venv(venv: Path) -> None:
    """Give the folders uv installs a project into to the learner's user (the venv's
    files stay whoever's they are: the checker's, in a reused or checker-made venv)."""
    for folder in [venv, venv / "bin", *venv.glob("lib/python*/site-packages")]:
        process.hand_over(folder)


def _python_for_the_learner() -> str:
    """The checker's own Python when the learner's user may run it, else one any user may
    (uv, run as that user, only reads it)."""
    if runnable_inside(Path(sys.executable)):
        return sys.executable
    return next(iter(_system_pythons()), sys.executable)


def _system_pythons() -> list[str]:
    """Interpreters any user may run, for when the checker's own is closed to the learner's
    user (a pyenv under /root) or too old for the project."""
    jail = process.containment()
    if jail is None or not jail.namespaces:
        return []
    names = [f"python3.{minor}" for minor in range(20, 10, -1)] + ["python3"]
    found = {shutil.which(name, path="/usr/local/bin:/usr/bin:/bin") for name in names}
    return sorted(str(p) for p in found if p and runnable_inside(Path(p)))


def _version_of(python: str) -> str | None:
    done = run(
        [python, "-I", "-c", "import sys; print(*sys.version_info[:3], sep='.')"],
        cwd=Path("/"),
        env={"PATH": os.defpath},
        timeout=10,
    )
    return done.stdout.strip() if done.ok else None
