"""The queue on the real database: claiming, leases, and the fence that keeps a job's
outcome from being recorded twice. SKIP LOCKED is PostgreSQL's: its test needs it."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from expense_tracker import services
from expense_tracker.db import connect
from expense_tracker.jobs import queue
from expense_tracker.models import FAILED, QUEUED, RUNNING, SUCCEEDED
from expense_tracker.repository import JobRow, now
from expense_tracker.unit_of_work import SqlAlchemyUnitOfWork

CSV = "amount,category\n1,food\n"


@pytest.fixture
def sessions(database_url):
    sessions = connect(database_url)
    yield sessions
    sessions.kw["bind"].dispose()  # close its connections before the schema is dropped


@pytest.fixture
def uow(sessions):
    return SqlAlchemyUnitOfWork(sessions)


@pytest.fixture
def owner(uow):
    with uow:
        user = uow.users.add("alice", "not-a-real-hash", False)
        uow.commit()
    return user


def queue_job(uow, owner, key=None):
    return services.start_import(uow, owner, CSV, idempotency_key=key)


def row(sessions, job_id) -> JobRow:
    with sessions() as session:
        return session.get_one(JobRow, job_id)


def expire_lease(sessions, job_id):
    with sessions.begin() as session:
        session.execute(
            update(JobRow).where(JobRow.id == job_id).values(lease_until=now() - timedelta(1))
        )


def test_taking_a_job_marks_it_running_with_a_lease_and_counts_the_attempt(sessions, uow, owner):
    job = queue_job(uow, owner)

    claim = queue.take(sessions)

    assert (claim.job_id, claim.attempt, claim.owner_id, claim.kind) == (
        job.id,
        1,
        owner.id,
        "import",
    )
    assert claim.payload == job.payload
    taken = row(sessions, job.id)
    assert (taken.status, taken.attempts) == (RUNNING, 1)
    assert taken.lease_until > now() + queue.LEASE - timedelta(seconds=5)


def test_jobs_are_taken_oldest_first_and_each_once(sessions, uow, owner):
    first, second = queue_job(uow, owner), queue_job(uow, owner)

    taken = [queue.take(sessions), queue.take(sessions), queue.take(sessions)]

    assert [claim.job_id if claim else None for claim in taken] == [first.id, second.id, None]


def test_a_job_another_worker_is_claiming_is_skipped_not_waited_for(sessions, uow, owner):
    if sessions.kw["bind"].dialect.name != "postgresql":
        pytest.skip("SKIP LOCKED is PostgreSQL's; SQLite locks the whole file")
    locked, free = queue_job(uow, owner), queue_job(uow, owner)
    with sessions.begin() as other_worker:  # holds the row lock of the oldest job meanwhile
        other_worker.scalars(select(JobRow).where(JobRow.id == locked.id).with_for_update()).one()
        # In a thread: a take() that waits for the lock would wait for this test to end.
        with ThreadPoolExecutor(1) as pool:
            claim = pool.submit(queue.take, sessions)
            try:
                taken = claim.result(timeout=30)
            except TimeoutError:
                pytest.fail("take() waited for a job another worker holds; it must skip it")
            finally:
                other_worker.rollback()  # let a waiting take() go, so the pool can close

    assert taken.job_id == free.id


def test_a_running_job_whose_lease_passed_is_taken_again_and_the_old_claim_is_void(
    sessions, uow, owner
):
    job = queue_job(uow, owner)
    dead = queue.take(sessions)
    assert queue.take(sessions) is None  # its lease still runs: nobody else may take it
    expire_lease(sessions, job.id)

    again = queue.take(sessions)

    assert (again.job_id, again.attempt) == (job.id, 2)
    assert not queue.keep(sessions, dead)
    with sessions() as session:
        assert not queue.finish(session, dead, status=SUCCEEDED, result={"imported": 1})


def test_a_job_that_stopped_its_worker_every_time_fails_after_the_last_attempt(
    sessions, uow, owner
):
    job = queue_job(uow, owner)
    for _ in range(queue.MAX_ATTEMPTS):
        queue.take(sessions)
        expire_lease(sessions, job.id)

    assert queue.take(sessions) is None
    failed = row(sessions, job.id)
    assert (failed.status, failed.attempts) == (FAILED, queue.MAX_ATTEMPTS + 1)
    assert failed.error == f"gave up after {queue.MAX_ATTEMPTS} attempts: each one stopped halfway"


def test_the_heartbeat_pushes_the_lease_forward(sessions, uow, owner):
    job = queue_job(uow, owner)
    claim = queue.take(sessions)
    expire_lease(sessions, job.id)

    assert queue.keep(sessions, claim)
    assert row(sessions, job.id).lease_until > now()


def test_finishing_records_the_outcome_and_ends_the_lease(sessions, uow, owner):
    job = queue_job(uow, owner)
    claim = queue.take(sessions)

    with sessions() as session:
        assert queue.finish(session, claim, status=SUCCEEDED, result={"imported": 1})
        session.commit()

    done = row(sessions, job.id)
    assert (done.status, done.result, done.lease_until) == (SUCCEEDED, {"imported": 1}, None)
    assert done.finished_at is not None
    assert not queue.keep(sessions, claim)  # a finished job has no lease to keep


def test_the_api_side_sees_the_job_as_the_queue_left_it(sessions, uow, owner):
    job = queue_job(uow, owner, key="k")

    assert services.get_job(uow, owner, job.id) == job
    assert queue_job(uow, owner, key="k").id == job.id
    assert job.status == QUEUED
