"""The jobs door alone: the worker process, bounded waits, and the no-broker check's reading.

The worker is a real process (a few lines of Python), as the check is about processes;
the status resource a wait reads is a fake, so each wait's end is known in advance.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from checks.harness.doors.jobs import polling
from checks.harness.doors.jobs.worker import Worker
from checks.harness.failure import CheckFailed
from checks.harness.transcript import Transcript
from checks.stage_07_jobs.check_broker import check_no_broker

LOOP = "import time\nprint('worker: waiting', flush=True)\nwhile True: time.sleep(0.05)\n"


def _worker(tmp_path: Path, code: str) -> Worker:
    return Worker([sys.executable, "-c", code], cwd=tmp_path, env={"PATH": "/usr/bin:/bin"})


def test_a_worker_runs_until_the_checker_kills_it_and_its_transcript_says_so(tmp_path):
    transcript = Transcript()
    worker = _worker(tmp_path, LOOP)
    worker.start(transcript)
    try:
        assert worker.alive()
        assert "worker: waiting" in worker.log_tail(settle=0.1)
        worker.kill(transcript, "mid-job")
        assert not worker.alive() and worker.killed
        assert worker.ended() == "the checker killed it"
        assert "kill -9 $WORKER  # mid-job" in transcript.lines()
        assert worker.stop_line not in transcript.teardown  # gone: no second kill to paste
    finally:
        worker.stop()


def test_a_worker_that_exits_says_how_with_its_last_lines(tmp_path):
    worker = _worker(tmp_path, "print('no such command: wokrer'); raise SystemExit(2)")
    worker.start()
    deadline = time.monotonic() + 10
    while worker.alive() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert worker.ended().startswith("it exited with code 2")
    assert "no such command: wokrer" in worker.log_tail(settle=0.05)
    worker.stop()


def test_a_worker_command_that_cannot_start_has_ended_at_once(tmp_path):
    worker = Worker(["/no/such/worker"], cwd=tmp_path, env={})
    worker.start()
    assert not worker.alive()
    assert "could not start" in worker.log_tail()


class FakeWorker:
    def __init__(self, alive_for: float) -> None:
        self.until = time.monotonic() + alive_for

    def alive(self) -> bool:
        return time.monotonic() < self.until


def test_a_wait_ends_as_soon_as_the_state_is_there():
    states = iter(["queued", "queued", "running", "succeeded"])
    began = time.monotonic()
    waited = polling.wait(lambda: next(states), lambda s: s == "succeeded", bound=30)
    assert (waited.last, waited.why) == ("succeeded", polling.DONE)
    assert time.monotonic() - began < 1.0  # three intervals, not the bound


def test_a_wait_ends_when_the_worker_it_stands_on_has_died_not_at_its_bound():
    dead = FakeWorker(alive_for=0.15)
    began = time.monotonic()
    waited = polling.wait(lambda: "running", lambda s: s == "succeeded", 30, [dead])  # type: ignore[list-item]
    assert waited.why == polling.WORKER_ENDED and waited.worker is dead
    assert time.monotonic() - began < 1.0


def test_a_worker_that_recorded_the_outcome_as_it_died_is_not_blamed():
    reads = iter(["running", "succeeded"])
    dead = FakeWorker(alive_for=0)
    waited = polling.wait(lambda: next(reads), lambda s: s == "succeeded", 30, [dead])  # type: ignore[list-item]
    assert waited.why == polling.DONE


def test_a_wait_gives_up_at_its_bound_with_the_last_state_it_read():
    waited = polling.wait(lambda: "queued", lambda s: s != "queued", bound=0.3)
    assert waited.why == polling.BOUND and waited.last == "queued"
    assert 0.3 <= waited.seconds < 1.0


def _project(tmp_path: Path, dependencies: str, decision: str | None = None) -> SimpleNamespace:
    (tmp_path / "pyproject.toml").write_text(
        f'[project]\nname = "x"\ndependencies = [{dependencies}]\n'
    )
    if decision is not None:
        (tmp_path / "docs" / "adr").mkdir(parents=True)
        (tmp_path / "docs" / "adr" / "0007-queue.md").write_text(decision)
    return SimpleNamespace(pristine=tmp_path)


MANIFEST = SimpleNamespace(deploy=SimpleNamespace(decisions="docs/decisions"))


def test_no_broker_passes_a_queue_in_postgresql(tmp_path):
    check_no_broker(_project(tmp_path, '"fastapi", "psycopg[binary]>=3"'), MANIFEST)  # type: ignore[arg-type]


def test_no_broker_names_a_brokers_client_that_no_decision_explains(tmp_path):
    project = _project(tmp_path, '"fastapi", "Celery[redis]>=5"')
    (tmp_path / "requirements").mkdir()
    (tmp_path / "requirements" / "worker.txt").write_text("# the queue\naio_pika==9\n")
    with pytest.raises(CheckFailed) as failed:
        check_no_broker(project, MANIFEST)  # type: ignore[arg-type]
    assert "aio-pika (RabbitMQ), celery (Celery)" in failed.value.problem
    assert "docs/decisions/*.md" in str(failed.value.expected)


def test_no_broker_accepts_a_broker_that_an_adr_names(tmp_path):
    decision = "# Celery for the imports\n\nWe run Celery because other services consume…\n"
    check_no_broker(_project(tmp_path, '"celery>=5"', decision), MANIFEST)  # type: ignore[arg-type]
