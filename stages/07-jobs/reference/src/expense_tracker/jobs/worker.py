"""`expense-tracker worker`: take jobs from the database and run them, until stopped.

Run as many workers as you like, on as many machines: the queue gives each job to one.
SIGTERM (`docker stop`) or Ctrl+C lets the current job finish, then the worker exits. A
worker killed outright (SIGKILL, a crash, a lost machine) leaves its job `running`; once the
lease passes, another worker, or this one restarted, runs it again (queue.py).
"""

import logging
import signal
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from expense_tracker import services
from expense_tracker.db import connect, reason
from expense_tracker.errors import ExpenseTrackerError
from expense_tracker.jobs import queue
from expense_tracker.jobs.queue import Claim
from expense_tracker.models import FAILED, IMPORT, SUCCEEDED
from expense_tracker.repository import SqlAlchemyExpenseRepository

POLL_SECONDS = 0.5  # how long an idle worker waits before it asks for a job again
RETRY_SECONDS = 5.0  # how long it waits after the database did not answer

logger = logging.getLogger("expense_tracker.jobs")


def run_import(session: Session, claim: Claim) -> dict[str, Any]:
    """An import job: the expenses of its CSV text, added in the worker's transaction."""
    time.sleep(claim.payload.get("delay_seconds", 0))  # a big file's worth of work, for demos
    expenses = SqlAlchemyExpenseRepository(session)
    return services.import_expenses(expenses, claim.owner_id, claim.payload["csv"])


HANDLERS: dict[str, Callable[[Session, Claim], dict[str, Any]]] = {IMPORT: run_import}


def run(database_url: str) -> None:
    """The worker's life: connect, work until SIGTERM or SIGINT, exit."""
    sessions = connect(database_url)
    stopping = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        logger.info("stopping after the current job", extra={"fields": {"signal": signum}})
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    logger.info("worker started")
    work(sessions, stopping)
    logger.info("worker stopped")


def work(sessions: sessionmaker[Session], stopping: threading.Event) -> None:
    """Run jobs, one at a time, until `stopping` is set; wait a little when there is none."""
    while not stopping.is_set():
        try:
            claim = queue.take(sessions)
        except SQLAlchemyError as error:
            logger.warning("database unavailable", extra={"fields": {"reason": reason(error)}})
            stopping.wait(RETRY_SECONDS)
            continue
        if claim is None:
            stopping.wait(POLL_SECONDS)
        else:
            run_one(sessions, claim)


def run_one(sessions: sessionmaker[Session], claim: Claim) -> None:
    """Run one job, its lease kept alive meanwhile, and record how it ended."""
    fields = {"job_id": str(claim.job_id), "kind": claim.kind, "attempt": claim.attempt}
    logger.info("job started", extra={"fields": fields})
    done = threading.Event()
    heartbeat = threading.Thread(target=_beat, args=(sessions, claim, done), daemon=True)
    heartbeat.start()
    try:
        with sessions() as session:  # one transaction: the work and its outcome, together
            try:
                outcome: dict[str, Any] = {
                    "status": SUCCEEDED,
                    "result": HANDLERS[claim.kind](session, claim),
                }
            except ExpenseTrackerError as error:  # bad input: running it again cannot help
                session.rollback()
                outcome = {"status": FAILED, "error": str(error)}
            if queue.finish(session, claim, **outcome):
                session.commit()
                logger.info(f"job {outcome['status']}", extra={"fields": fields})
            else:  # its lease passed and another worker took it: this run's work is undone
                logger.warning("job taken over by another worker", extra={"fields": fields})
    except Exception:
        # A bug, or the database gone: handled like a worker that died. The job stays
        # `running`; once its lease passes it is taken again, up to MAX_ATTEMPTS times.
        logger.exception("job interrupted", extra={"fields": fields})
    finally:
        done.set()
        heartbeat.join()


def _beat(sessions: sessionmaker[Session], claim: Claim, done: threading.Event) -> None:
    """Every HEARTBEAT_SECONDS until the job is done: "still working on it"."""
    while not done.wait(queue.HEARTBEAT_SECONDS):
        try:
            if not queue.keep(sessions, claim):
                return
        except SQLAlchemyError as error:  # the next beat may get through
            logger.warning("heartbeat missed", extra={"fields": {"reason": reason(error)}})
