"""A private copy of the learner's repository with its own virtual environment.

The learner's folder is only ever read: it is copied once, and everything (the build, the
venv, data files, a HOME) lives in a temporary folder that is deleted afterwards.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from packaging.specifiers import InvalidSpecifier, SpecifierSet

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
FOREIGN_PYTHON_VARS = {"VIRTUAL_ENV", "CONDA_PREFIX", "PYTHONPATH", "PYTHONHOME", "UV_PROJECT"}
INSTALL_TIMEOUT = 300.0  # a cold cache may download a build backend and test tools


def uv_binary() -> str:
    """The uv that ships with the checker's own environment (a pinned PyPI wheel)."""
    try:
        from uv import find_uv_bin

        return str(find_uv_bin())
    except (ImportError, FileNotFoundError):
        found = shutil.which("uv")
        if found is None:
            raise RuntimeError("uv is not installed; install it with `pip install uv`") from None
        return found


class PythonMissing(Exception):
    """No interpreter on this machine satisfies the project's requires-python."""


def _skip(folder: str, names: list[str]) -> set[str]:
    """Leave caches and virtual environments behind: they are large and not the learner's."""
    skipped = {name for name in names if name in SKIP_NAMES}
    skipped |= {name for name in names if (Path(folder, name) / "pyvenv.cfg").is_file()}
    return skipped


@dataclass
class Workspace:
    source: Path  # the learner's repository: never written to
    root: Path  # temporary; deleted by `close`

    @property
    def project(self) -> Path:
        return self.root / "project"

    @property
    def venv(self) -> Path:
        return self.root / "venv"

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def bin(self) -> Path:
        return self.venv / "bin"

    @property
    def python(self) -> Path:
        return self.bin / "python"

    @classmethod
    def create(cls, source: Path) -> Workspace:
        root = Path(tempfile.mkdtemp(prefix="roadmap-check-"))
        workspace = cls(source=source, root=root)
        shutil.copytree(source, workspace.project, symlinks=True, ignore=_skip)
        workspace.home.mkdir()
        return workspace

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def scratch(self, name: str) -> Path:
        """A fresh empty folder for one check's data files."""
        folder = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=self.root))
        return folder

    def env(self, **extra: str) -> dict[str, str]:
        """The environment a learner program sees: our venv first, a throw-away HOME."""
        env = {
            "PATH": f"{self.bin}{os.pathsep}{os.environ.get('PATH', os.defpath)}",
            "HOME": str(self.home),
            "TMPDIR": str(self.root),
            "LANG": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONUTF8": "1",
            "NO_COLOR": "1",
            "TERM": "dumb",
            "VIRTUAL_ENV": str(self.venv),
        }
        env.update(extra)
        return env

    def uv(self, *args: str, timeout: float = INSTALL_TIMEOUT) -> Completed:
        """Run uv on this workspace with the caller's network settings (certificates,
        proxies, indexes) and uv cache, so installs work where the caller's do and warm
        runs are fast; only settings that point at another Python environment are dropped.
        """
        env = {k: v for k, v in os.environ.items() if k not in FOREIGN_PYTHON_VARS}
        env.update(
            UV_PYTHON_DOWNLOADS="never",  # use this machine's Python, never fetch one
            # Learner programs run with PYTHONDONTWRITEBYTECODE, so compile once here: without
            # it every run re-parses its dependencies (SQLAlchemy: ~0.7 s a process).
            UV_COMPILE_BYTECODE="1",
            UV_NO_PROGRESS="1",
            VIRTUAL_ENV=str(self.venv),
        )
        return run([uv_binary(), *args], cwd=self.project, env=env, timeout=timeout)

    def interpreter(self, requires_python: str | None) -> str:
        """The Python to install with: the checker's own when it satisfies the project's
        requires-python, else one uv finds on this machine (never a download)."""
        try:
            wanted = SpecifierSet(requires_python or "")
        except InvalidSpecifier:
            raise PythonMissing(
                f"requires-python = {requires_python!r} in pyproject.toml is not a version "
                'range; write it like requires-python = ">=3.11"'
            ) from None
        mine = ".".join(map(str, sys.version_info[:3]))
        if wanted.contains(mine, prereleases=True):
            return sys.executable
        found = self.uv("python", "find", "--no-python-downloads", str(wanted), timeout=30)
        path = found.stdout.strip().splitlines()[-1] if found.ok and found.stdout.strip() else ""
        if not path:
            raise PythonMissing(
                f"your project needs Python {wanted} (requires-python in pyproject.toml) and "
                f"this machine has none (the checker runs on {mine}); install one, e.g. "
                "`uv python install`, or widen requires-python if your code allows it"
            )
        return path

    def install(self, python: str = sys.executable) -> Completed:
        """Build the learner's project into a fresh venv, the way a user would install it."""
        made = self.uv("venv", "--quiet", "--python", python, str(self.venv))
        if not made.ok:
            return made
        return self.uv("pip", "install", "--python", str(self.python), ".")

    def install_group(self, group: str) -> Completed:
        """Install a dependency group of the project (its test tools) into the venv."""
        return self.uv("pip", "install", "--python", str(self.python), "--group", group)

    def install_packages(self, *packages: str) -> Completed:
        return self.uv("pip", "install", "--python", str(self.python), *packages)
