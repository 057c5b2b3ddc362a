"""./nox runs an installed, unchanged checker at once, and anything else through nox."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FAKE_CHECKER = '#!/bin/sh\necho "checker ran with: $*"\nexit 3\n'
NO_PYTHON = "#!/bin/sh\nexit 1\n"  # so a run that falls through to nox stops at once


def _course(tmp_path: Path, stamp: str | None) -> Path:
    course = tmp_path / "course"
    course.mkdir()
    shutil.copy2(ROOT / "nox", course / "nox")
    (course / "pyproject.toml").write_text('[project]\nname = "x"\n')
    checker = course / ".nox" / "check" / "bin" / "roadmap-check"
    checker.parent.mkdir(parents=True)
    checker.write_text(FAKE_CHECKER)
    checker.chmod(0o755)
    if stamp is not None:
        (course / ".nox" / "check" / ".roadmap-installed").write_text(stamp)
    (tmp_path / "python").write_text(NO_PYTHON)
    (tmp_path / "python").chmod(0o755)
    return course


def _nox(course: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "PYTHON": str(course.parent / "python")}
    return subprocess.run(
        ["sh", str(course / "nox"), *args], capture_output=True, text=True, env=env, timeout=30
    )


def test_an_installed_unchanged_checker_runs_directly_with_its_arguments(tmp_path: Path) -> None:
    course = _course(tmp_path, stamp=None)
    stamp = hashlib.sha256((course / "pyproject.toml").read_bytes()).hexdigest()
    (course / ".nox" / "check" / ".roadmap-installed").write_text(stamp)

    done = _nox(course, "-s", "check", "--", "../my repo", "--stage", "2")

    assert (done.returncode, done.stdout) == (3, "checker ran with: ../my repo --stage 2\n")


def test_a_changed_checker_or_another_session_goes_through_nox(tmp_path: Path) -> None:
    course = _course(tmp_path, stamp="the hash of an older pyproject.toml")

    for args in (["-s", "check", "--", "repo"], ["-s", "tests"], ["-s", "check"]):
        done = _nox(course, *args)

        assert done.returncode == 2, done.stdout  # the fake python stops it before nox
        assert "checker ran" not in done.stdout
        assert "needs Python 3.11 or newer" in done.stderr
