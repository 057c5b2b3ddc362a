"""The queue: the `jobs` table, and what a worker does with it. No broker (ADR 0023).

- `take` claims the oldest job that is `queued`, or `running` with a lease that has passed
  (its worker died), with `SELECT ... FOR UPDATE SKIP LOCKED`: two workers asking at the
  same moment never get the same job, and neither waits for the other. It marks the job
  `running`, counts the attempt, and gives the worker a lease.
- `keep` pushes the lease forward while the work goes on: the heartbeat.
- `finish` records the outcome, but only while this worker still holds the job: the job's
  `attempts` is still the attempt it took (the fence). The worker calls it in the
  transaction that did the work, so the work and the outcome are kept together or not at
  all: a job may run twice, its effects are kept once (ADR 0024).
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from expense_tracker.models import FAILED, QUEUED, RUNNING
from expense_tracker.repository import JobRow, now

# A job whose lease has passed counts as stalled: `stalled_after` in the manifest says the
# same. Short, so a job whose worker died waits seconds, not minutes, for another one.
LEASE = timedelta(seconds=10)
HEARTBEAT_SECONDS = 3.0  # well below the lease: two beats can be late before it lapses
MAX_ATTEMPTS = 3  # a job that stopped its worker this often will stop the next one too


@dataclass(frozen=True)
class Claim:
    """A job a worker holds: what it needs to run it, and the attempt that is its own."""

    job_id: uuid.UUID
    attempt: int
    owner_id: int
    kind: str
    payload: dict[str, Any]


def take(sessions: sessionmaker[Session]) -> Claim | None:
    """Claim the next job to run, or None when there is none."""
    while True:
        moment = now()
        stalled = and_(JobRow.status == RUNNING, JobRow.lease_until < moment)
        query = (
            select(JobRow)
            .where(or_(JobRow.status == QUEUED, stalled))
            .order_by(JobRow.created_at)
            .limit(1)
            # Rows another worker is claiming right now are skipped, not waited for.
            .with_for_update(skip_locked=True)
        )
        with sessions.begin() as session:
            row = session.scalars(query).first()
            if row is None:
                return None
            row.attempts += 1
            if row.attempts <= MAX_ATTEMPTS:
                row.status, row.started_at, row.lease_until = RUNNING, moment, moment + LEASE
                return Claim(row.id, row.attempts, row.owner_id, row.kind, dict(row.payload))
            # Its worker died every time it ran it: give up, say so, and take the next.
            row.status, row.finished_at, row.lease_until = FAILED, moment, None
            row.error = f"gave up after {MAX_ATTEMPTS} attempts: each one stopped halfway"


def keep(sessions: sessionmaker[Session], claim: Claim) -> bool:
    """Extend the lease; False when the job is no longer this worker's."""
    with sessions.begin() as session:
        kept = session.execute(update(JobRow).where(_held(claim)).values(lease_until=now() + LEASE))
    return kept.rowcount == 1


def finish(session: Session, claim: Claim, **outcome: Any) -> bool:
    """Record the outcome (status, and result or error) in the caller's transaction;
    False, and nothing recorded, when another worker has taken the job over."""
    done = session.execute(
        update(JobRow).where(_held(claim)).values(**outcome, finished_at=now(), lease_until=None)
    )
    return done.rowcount == 1


def _held(claim: Claim) -> ColumnElement[bool]:
    return and_(
        JobRow.id == claim.job_id, JobRow.status == RUNNING, JobRow.attempts == claim.attempt
    )
