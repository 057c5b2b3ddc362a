"""What patches cannot show for stage 2: a history too short, or no git at all."""

import shutil
import subprocess

import pytest

from tests.conftest import run_checker, snapshot

pytestmark = pytest.mark.slow
IDENTITY = ["-c", "user.name=Learner", "-c", "user.email=learner@example.com"]


def _fresh_history(project, commits):
    shutil.rmtree(project / ".git")
    if commits:
        subprocess.run(["git", "init", "-q"], cwd=project, check=True)
        subprocess.run(["git", "add", "-A"], cwd=project, check=True)
        subprocess.run(
            ["git", *IDENTITY, "commit", "-qm", "Add the whole expense tracker"],
            cwd=project,
            check=True,
        )


def test_a_project_committed_in_one_go_fails_the_history_check(reference, copy_of, tmp_path):
    project = copy_of(reference(2))
    _fresh_history(project, commits=1)
    before = snapshot(project)
    run = run_checker(project, tmp_path / "report", "--only", "02-layers/git-history")
    assert run.statuses() == {"02-layers/git-history": "fail"}
    assert "1 commit(s)" in run.message("02-layers/git-history")
    assert snapshot(project) == before


def test_a_project_without_git_is_told_to_run_git_init(reference, copy_of, tmp_path):
    project = copy_of(reference(2))
    _fresh_history(project, commits=0)
    run = run_checker(project, tmp_path / "report", "--only", "02-layers/git-history")
    assert run.statuses() == {"02-layers/git-history": "fail"}
    assert "git init" in run.message("02-layers/git-history")
