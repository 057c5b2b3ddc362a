"""/imports: start an import of expenses, and follow it. Importing is slow work, so it is a
job (ADR 0023): the POST records it and answers 202 Accepted at once, with a Location to
poll, and a worker (`expense-tracker worker`) does the work. Nothing here waits for it.
"""

from fastapi import APIRouter, Request, Response, status

from expense_tracker import services
from expense_tracker.api.deps import CurrentUser, IdempotencyKey, JobId, UnitOfWorkDep
from expense_tracker.api.responses import (
    BAD_BODY,
    KEY_REUSED,
    NEEDS_LOGIN,
    NO_SUCH_IMPORT,
    UNAVAILABLE,
)
from expense_tracker.api.schemas import ImportCreate, JobRead

# What a client polling a job that is not finished is told to wait, in seconds: most
# imports take about that long, and a poll costs one indexed read.
POLL_AFTER_SECONDS = 1

router = APIRouter(prefix="/imports", tags=["imports"], responses=NEEDS_LOGIN | UNAVAILABLE)


@router.post("", status_code=status.HTTP_202_ACCEPTED, responses=BAD_BODY | KEY_REUSED)
def start_import(
    body: ImportCreate,
    user: CurrentUser,
    uow: UnitOfWorkDep,
    request: Request,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> JobRead:
    """Queue an import of expenses from CSV text; 202 with the job, and where to follow it."""
    job = services.start_import(
        uow,
        user,
        body.csv,
        delay_seconds=body.delay_seconds,
        idempotency_key=idempotency_key,
    )
    response.headers["Location"] = request.app.url_path_for("get_import", job_id=str(job.id))
    return JobRead.from_domain(job)


@router.get("/{job_id}", responses=NO_SUCH_IMPORT)
def get_import(job_id: JobId, user: CurrentUser, uow: UnitOfWorkDep, response: Response) -> JobRead:
    """An import you started: its status, then its result or its error. Until it is
    finished, Retry-After says when to ask again."""
    job = services.get_job(uow, user, job_id)
    if not job.finished:
        response.headers["Retry-After"] = str(POLL_AFTER_SECONDS)
    return JobRead.from_domain(job)
