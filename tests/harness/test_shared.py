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
