"""What patches cannot show for stage 2: a history too short, or no git at all."""

import re
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


FAILING = """

def test_the_first_of_two_that_fail():
    assert 1 == 2


def test_the_second_of_two_that_fail():
    assert "ab" == "a"
"""


def test_failing_tests_in_a_suite_that_exists_are_named_and_the_fix_speaks_to_them(
    reference, copy_of, tmp_path
):
    project = copy_of(reference(2))
    with (project / "tests" / "test_services.py").open("a") as services:
        services.write(FAILING)
    own, service = "01-cli/own-tests-pass", "02-layers/service-tests"
    run = run_checker(project, tmp_path / "report", "--only", own, "--only", service)
    assert run.statuses() == {own: "fail", service: "fail"}, run.stdout
    suite = run.message(own)
    assert re.search(r"^your suite has \d+ tests; these 2 fail: test_the_first_of_two", suite)
    assert "python -m pytest -x" in suite
    assert "put tests in" not in suite  # the docstring's advice for a suite to start
    services = run.message(service)
    assert "do not all pass: test_the_first_of_two_that_fail, test_the_second" in services
    assert "python -m pytest tests/test_services.py -x" in services
    assert "add `tests/test_services.py`" not in services
