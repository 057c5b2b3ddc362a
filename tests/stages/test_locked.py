"""A committed lock decides what the checker installs (checks/harness/lock.py).

`variant_locked` answers `--help` only with the `six` its uv.lock pins (1.16.0), while its
pyproject.toml allows any, as passlib works only with the bcrypt its project locked: it
passes with its lock and fails without one. A lock that no longer matches pyproject.toml
is one failed check that says to run `uv lock`, never a traceback nor another install.
"""

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import run_checker

pytestmark = pytest.mark.slow
LOCKED = Path(__file__).parent / "variant_locked"
INSTALLS, HELP = "01-cli/installs", "01-cli/help"
ONLY = ("--stage", "1", "--only", INSTALLS, "--only", HELP)
NO_CACHE = {"ROADMAP_VENV_CACHE": "off"}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return Path(shutil.copytree(LOCKED, tmp_path / "pinned-expenses"))


@pytest.fixture
def own_cache() -> Iterator[Path]:
    """A work folder of this test's own, with the venv cache beside it (empty, so the run
    builds its entry from the lock), open to the learner's user as the defaults are."""
    base = Path(tempfile.mkdtemp(prefix="roadmap-test-", dir="/var/tmp"))
    (base / "work").mkdir()
    for folder in (base, base / "work"):
        folder.chmod(0o755)
    yield base
    shutil.rmtree(base, ignore_errors=True)


def _installed(entry: Path) -> set[str]:
    return {p.name for p in entry.glob("lib/python*/site-packages/*.dist-info")}


def test_with_the_reused_venvs_the_locked_versions_are_installed(project, own_cache, tmp_path):
    env = {"ROADMAP_WORK_DIR": str(own_cache / "work")}
    run = run_checker(project, tmp_path / "report", *ONLY, env=env)
    assert run.statuses() == {INSTALLS: "pass", HELP: "pass"}, run.stdout + run.stderr
    assert "Note: Dependencies: installed as uv.lock pins them." in run.stdout
    if os.geteuid() == 0:  # as root the cache goes beside ROADMAP_WORK_DIR
        (entry,) = [p for p in (own_cache / "venvs").iterdir() if not p.name.startswith(".")]
        # the dependency and the test group, as locked, and never the project itself
        assert {"six-1.16.0.dist-info", "iniconfig-1.1.1.dist-info"} <= _installed(entry)
        assert not any(name.startswith("pinned_expenses") for name in _installed(entry))


def test_without_the_reused_venvs_the_locked_versions_are_installed(project, tmp_path):
    run = run_checker(project, tmp_path / "report", *ONLY, env=NO_CACHE)
    assert run.statuses() == {INSTALLS: "pass", HELP: "pass"}, run.stdout + run.stderr


def test_without_its_lock_the_same_project_gets_the_newest_six_and_fails(project, tmp_path):
    (project / "uv.lock").unlink()
    run = run_checker(project, tmp_path / "report", *ONLY)
    assert run.statuses() == {INSTALLS: "pass", HELP: "fail"}, run.stdout + run.stderr
    assert "tested with six 1.16.0, got six 1." in run.message(HELP)
    assert "Note: Dependencies: no uv.lock, so the newest versions your" in run.stdout


def test_a_pinned_requirements_txt_holds_without_a_uv_lock(project, tmp_path):
    (project / "uv.lock").unlink()
    (project / "requirements.txt").write_text("six==1.16.0\n")
    run = run_checker(project, tmp_path / "report", *ONLY)
    assert run.statuses() == {INSTALLS: "pass", HELP: "pass"}, run.stdout + run.stderr
    assert "Note: Dependencies: installed from requirements.txt with your project" in run.stdout


@pytest.mark.parametrize("env", [{}, NO_CACHE], ids=["reused-venvs", "fresh-venv"])
def test_a_lock_older_than_pyproject_is_one_failed_check_that_says_run_uv_lock(
    project, tmp_path, env
):
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('["six"]', '["six<1.17"]'))
    run = run_checker(project, tmp_path / "report", *ONLY, env=env)
    assert run.exit_code == 1, run.stdout + run.stderr
    assert run.statuses() == {INSTALLS: "fail", HELP: "blocked"}
    problem, *details = run.message(INSTALLS).splitlines()
    assert problem == (
        "your uv.lock is out of date: pyproject.toml changed after it was written, so the "
        "checker cannot install the versions you tested"
    )
    assert "fix: run `uv lock`, then commit uv.lock with pyproject.toml" in details
    assert "Traceback" not in run.stdout + run.stderr
