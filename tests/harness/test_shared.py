"""Work done once per run across worker processes, and the learner suite read from it."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import pytest

from checks.harness import shared
from checks.harness.doors.tools.learner_tests import Case, _module_suffixes
from checks.harness.doors.tools.learner_tests import TestRun as SuiteRun
from checks.harness.failure import CheckFailed
from checks.harness.process import Completed


def _count_calls(state: Path) -> int:
    """Stands for a learner's suite: slow, and it leaves a mark each time it really runs."""
    with open(state / "calls", "a") as calls:
        calls.write("x")
    time.sleep(0.3)
    return 42


def _worker(state: Path) -> None:
    assert shared.once(state, "work", lambda: _count_calls(state)) == 42


def test_processes_asking_at_once_share_one_computation(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_worker, args=(tmp_path,)) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=10)
    assert [w.exitcode for w in workers] == [0, 0, 0]
    assert (tmp_path / "calls").read_text() == "x"


def test_a_failure_is_stored_and_raised_to_every_caller(tmp_path: Path) -> None:
    calls = []

    def hangs() -> None:
        calls.append(1)
        raise CheckFailed("your tests were still running after 120 s", got="…", step="a/b")

    for _ in range(2):
        with pytest.raises(CheckFailed) as raised:
            shared.once(tmp_path, "suite", hangs)
        assert raised.value.problem == "your tests were still running after 120 s"
        assert (raised.value.got, raised.value.step) == ("…", "a/b")
    assert calls == [1]


def test_a_failed_steps_lines_to_paste_reach_the_check_that_reports_it(tmp_path: Path) -> None:
    # The seed's adds run in the checker's own process: only the failure carries them over.
    steps = shared.Steps(tmp_path)
    steps.plan("seed", grader="01-cli/add-then-list")
    lines = ["export DATA_FILE=$(mktemp -d)/data.json", "tracker add --n 1  # → exit 2"]
    failed = CheckFailed("the command failed while adding")
    failed.try_lines = lines
    steps.fail("seed", failed)
    with pytest.raises(CheckFailed) as raised:
        steps.wait("seed")
    assert raised.value.try_lines == lines


def test_an_unexpected_error_is_not_stored(tmp_path: Path) -> None:
    def broken() -> None:
        raise RuntimeError("a bug of the checker")

    with pytest.raises(RuntimeError):
        shared.once(tmp_path, "work", broken)
    assert shared.once(tmp_path, "work", lambda: 7) == 7


def _run(*cases: Case) -> SuiteRun:
    return SuiteRun(Completed(("pytest",), 0, "", ""), sum(c.passed for c in cases), cases)


def test_service_cases_are_found_by_their_module_however_pytest_roots_them() -> None:
    run = _run(
        Case("tests.test_services", "test_add", True),
        Case("tests.test_services.TestDelete", "test_gone", False),
        Case("test_services", "test_from_a_moved_rootdir", True),
        Case("tests.test_cli", "test_help", True),
        Case("tests.test_services_extra", "test_other_module", True),
    )
    found = {case.name for case in run.of_files(["tests/test_services.py"])}
    assert found == {"test_add", "test_gone", "test_from_a_moved_rootdir"}
    assert _module_suffixes("tests/unit/test_x.py") == [
        "tests.unit.test_x",
        "unit.test_x",
        "test_x",
    ]


# Steps: the run's preparation, planned before the checks and waited on by state -----


def test_a_step_that_raises_in_its_thread_ends_failed_and_no_waiter_hangs(tmp_path: Path) -> None:
    steps = shared.Steps(tmp_path)
    steps.plan("seed", grader="01-cli/add-then-list")

    def crashes() -> None:
        raise FileNotFoundError("seed.json")  # the hidden hang: a thread that died silently

    steps.start("seed", crashes, bound=600)
    began = time.monotonic()
    with pytest.raises(CheckFailed) as raised:
        steps.wait("seed")
    assert time.monotonic() - began < 2, "a step's death is known at once, not at a timer"
    assert raised.value.step == "01-cli/add-then-list"
    assert "FileNotFoundError" in raised.value.problem


def test_a_step_whose_need_failed_fails_at_once_with_the_same_failure(tmp_path: Path) -> None:
    steps = shared.Steps(tmp_path)
    steps.plan("schema", grader="04-auth/migrations-upgrade")
    steps.plan("seed", needs=["schema"], grader="01-cli/add-then-list")
    steps.fail(
        "schema",
        CheckFailed("your migrations did not build the schema", step="04-auth/migrations-upgrade"),
    )
    began = time.monotonic()
    with pytest.raises(CheckFailed) as waited:  # before the seed's thread even started
        steps.wait("seed")
    assert waited.value.step == "04-auth/migrations-upgrade"
    planted: list[int] = []
    steps.run("seed", lambda: planted.append(1), bound=600)
    with pytest.raises(CheckFailed) as raised:
        steps.wait("seed")
    assert time.monotonic() - began < 2
    assert planted == [], "work that stands on a failed step never starts"
    assert raised.value.step == "04-auth/migrations-upgrade"


def _waits_in_another_process(state: Path, out: Path) -> None:
    out.write_text(repr(shared.Steps(state).wait("install")))


def test_a_worker_process_waits_until_the_step_is_done_and_reads_its_value(tmp_path: Path) -> None:
    steps = shared.Steps(tmp_path)
    steps.plan("install")
    context = multiprocessing.get_context("fork")
    worker = context.Process(target=_waits_in_another_process, args=(tmp_path, tmp_path / "out"))
    worker.start()
    steps.run("install", lambda: {"exit_code": 0}, bound=60)
    worker.join(timeout=10)
    assert worker.exitcode == 0
    assert (tmp_path / "out").read_text() == "{'exit_code': 0}"


def test_a_step_running_past_its_own_bound_is_a_failure_not_a_wait(tmp_path: Path) -> None:
    steps = shared.Steps(tmp_path)
    steps.plan("schema", grader="04-auth/migrations-upgrade")
    stuck = {"state": shared.RUNNING, "needs": [], "grader": "04-auth/migrations-upgrade"}
    shared.publish(tmp_path / "step-schema.json", stuck | {"until": time.time() - shared.SLACK - 1})
    with pytest.raises(CheckFailed) as raised:
        steps.wait("schema")
    assert raised.value.step == "04-auth/migrations-upgrade"
    assert "did not finish in time" in raised.value.problem


def test_asking_for_a_step_nobody_planned_is_the_checkers_bug_said_at_once(tmp_path: Path) -> None:
    with pytest.raises(shared.NotPlanned):
        shared.Steps(tmp_path).wait("never")
