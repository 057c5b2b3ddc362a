"""The worker on the real database: a job's work and its outcome are kept together, a
failure is recorded and the next job still runs, SIGTERM lets the current job finish."""

import json
import os
import signal
import threading
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import update
from sqlalchemy.orm import sessionmaker

from expense_tracker import cli, services
from expense_tracker.db import connect, make_engine
from expense_tracker.jobs import queue, worker
from expense_tracker.models import FAILED, IMPORT, RUNNING, SUCCEEDED
from expense_tracker.repository import JobRow, now
from expense_tracker.unit_of_work import SqlAlchemyUnitOfWork

CSV = "amount,category\n12.50,food\n3.20,transport\n"


@pytest.fixture
def sessions(database_url):
    sessions = connect(database_url)
    yield sessions
    sessions.kw["bind"].dispose()


@pytest.fixture
def uow(sessions):
    return SqlAlchemyUnitOfWork(sessions)


@pytest.fixture
def owner(uow):
    with uow:
        user = uow.users.add("alice", "not-a-real-hash", False)
        uow.commit()
    return user


def job_of(uow, owner, job_id):
    return services.get_job(uow, owner, job_id)


def amounts(uow, owner):
    return [e.amount for e in services.list_expenses(uow, owner)]


def run_next(sessions):
    worker.run_one(sessions, queue.take(sessions))


WITHIN = 30.0  # seconds: a bound for a busy machine; each wait ends as soon as it is met


def work_until(sessions, met):
    """The worker's loop in a thread until `met()` holds: the wait ends on what the test
    waits for, not on a guess at how long a busy machine takes."""
    stopping = threading.Event()
    loop = threading.Thread(target=worker.work, args=(sessions, stopping))
    loop.start()
    deadline = time.monotonic() + WITHIN
    while not met() and time.monotonic() < deadline:
        time.sleep(0.05)
    stopping.set()
    loop.join()


def test_a_job_imports_its_expenses_and_records_the_result(sessions, uow, owner):
    job = services.start_import(uow, owner, CSV)

    run_next(sessions)

    done = job_of(uow, owner, job.id)
    assert (done.status, done.result, done.error, done.attempts) == (
        SUCCEEDED,
        {"imported": 2},
        None,
        1,
    )
    assert done.started_at <= done.finished_at
    assert amounts(uow, owner) == [Decimal("12.50"), Decimal("3.20")]


def test_a_bad_line_fails_the_job_with_its_message_and_the_next_job_still_runs(
    sessions, uow, owner
):
    bad = services.start_import(uow, owner, "amount,category\n1,food\nnot-a-number,food\n")
    good = services.start_import(uow, owner, CSV)

    run_next(sessions)
    run_next(sessions)

    failed = job_of(uow, owner, bad.id)
    assert (failed.status, failed.result) == (FAILED, None)
    assert failed.error == "line 3: amount 'not-a-number' is not a number; write it like 12.50"
    assert job_of(uow, owner, good.id).status == SUCCEEDED
    assert amounts(uow, owner) == [Decimal("12.50"), Decimal("3.20")]  # none of the bad file


def test_a_run_whose_job_was_taken_over_keeps_nothing(sessions, uow, owner, monkeypatch):
    job = services.start_import(uow, owner, CSV)

    def slow_import(session, claim):
        result = worker.run_import(session, claim)
        # Meanwhile its lease passed, and another worker took the job.
        with sessions.begin() as other:
            past = now() - timedelta(seconds=1)
            other.execute(update(JobRow).where(JobRow.id == job.id).values(lease_until=past))
        assert queue.take(sessions).attempt == 2
        return result

    monkeypatch.setitem(worker.HANDLERS, IMPORT, slow_import)
    run_next(sessions)

    assert amounts(uow, owner) == []  # the other worker's run will import them, once
    assert (job_of(uow, owner, job.id).status, job_of(uow, owner, job.id).attempts) == (RUNNING, 2)


def test_a_bug_in_a_job_is_logged_and_the_job_left_for_its_lease_to_pass(
    sessions, uow, owner, monkeypatch, caplog
):
    job = services.start_import(uow, owner, CSV)

    def broken(session, claim):
        raise RuntimeError("a bug")

    monkeypatch.setitem(worker.HANDLERS, IMPORT, broken)
    run_next(sessions)

    assert job_of(uow, owner, job.id).status == RUNNING  # taken again once the lease passes
    assert [r.getMessage() for r in caplog.records if r.exc_info] == ["job interrupted"]


def test_the_heartbeat_keeps_the_lease_while_the_work_goes_on(sessions, uow, owner, monkeypatch):
    job = services.start_import(uow, owner, CSV)
    monkeypatch.setattr(queue, "HEARTBEAT_SECONDS", 0.1)
    claim = queue.take(sessions)
    leases = [lease_of(sessions, job.id)]

    def slow_import(session, claim):
        deadline = time.monotonic() + WITHIN
        while lease_of(sessions, job.id) == leases[0] and time.monotonic() < deadline:
            time.sleep(0.05)  # the work goes on; the heartbeat beats beside it
        leases.append(lease_of(sessions, job.id))
        return worker.run_import(session, claim)

    monkeypatch.setitem(worker.HANDLERS, IMPORT, slow_import)
    worker.run_one(sessions, claim)

    assert leases[1] > leases[0]
    assert job_of(uow, owner, job.id).status == SUCCEEDED


def lease_of(sessions, job_id):
    with sessions() as session:
        return session.get_one(JobRow, job_id).lease_until


def test_the_worker_runs_jobs_until_told_to_stop(sessions, uow, owner, monkeypatch):
    jobs = [services.start_import(uow, owner, CSV) for _ in range(2)]
    monkeypatch.setattr(worker, "POLL_SECONDS", 0.05)

    def statuses():
        return [job_of(uow, owner, job.id).status for job in jobs]

    work_until(sessions, lambda: statuses() == [SUCCEEDED, SUCCEEDED])

    assert statuses() == [SUCCEEDED, SUCCEEDED]


def test_a_worker_whose_database_is_down_waits_and_asks_again(monkeypatch, caplog):
    # connect() would check the tables first: the sessions are made by hand, on a closed port.
    sessions = sessionmaker(make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none"))
    monkeypatch.setattr(worker, "RETRY_SECONDS", 0.05)

    def warned():
        return "database unavailable" in [r.getMessage() for r in caplog.records]

    work_until(sessions, warned)

    assert warned()


@pytest.fixture
def signal_handlers():
    """The worker sets its own SIGTERM and SIGINT handlers; put pytest's back after."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def test_sigterm_lets_the_current_job_finish_then_the_worker_command_exits(
    database_url, uow, owner, monkeypatch, signal_handlers, capsys
):
    """`expense-tracker worker` in this process (a second one would cost seconds): the
    job sends the SIGTERM itself, as `docker stop` would, in the middle of its work."""
    job = services.start_import(uow, owner, CSV)

    def import_then_get_stopped(session, claim):
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.1)  # the handler runs here, and the job goes on
        return worker.run_import(session, claim)

    monkeypatch.setitem(worker.HANDLERS, IMPORT, import_then_get_stopped)
    monkeypatch.setenv("DATABASE_URL", database_url)

    assert cli.main(["worker"]) == 0

    assert job_of(uow, owner, job.id).status == SUCCEEDED
    events = [json.loads(line)["event"] for line in capsys.readouterr().out.splitlines()]
    assert events == [
        "worker started",
        "job started",
        "stopping after the current job",
        "job succeeded",
        "worker stopped",
    ]
