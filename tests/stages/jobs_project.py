"""A stage-7 project for the tests, until reference 7 exists: reference 6 with imports of
expenses from CSV as jobs, in about 150 lines (a jobs table, a worker command, two routes).

`make_jobs(project, *defects)` writes it; each defect is one realistic mistake (the
spec's mutants, and a few more), planted by replacing one marked line or block, so a test
can plant several that different checks catch in one project and one run.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

MIGRATION = '''"""Create the jobs table.

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("owner_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(), nullable=False, server_default="queued"),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("lease_until", sa.DateTime(timezone=True)),
        sa.Column("result", sa.JSON()),
        sa.Column("error", sa.Text()),
        sa.Column("idempotency_key", sa.String()),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
        sa.Column("started_at", sa.DateTime(timezone=True)),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("owner_id", "idempotency_key"),
    )


def downgrade() -> None:
    op.drop_table("jobs")
'''

QUEUE = '''"""Jobs in PostgreSQL: enqueue, read, claim (FOR UPDATE SKIP LOCKED, with a lease)."""

import json

from sqlalchemy import Engine, text

LEASE = 4  # seconds; the worker renews it every LEASE / 4
MAX_ATTEMPTS = 3
COLUMNS = (
    "id, owner_id, kind, payload, status, attempts, result, error, "
    "created_at, started_at, finished_at"
)
CLAIMABLE = "status = 'queued' OR (status = 'running' AND lease_until < now())"
INSERT = (
    "INSERT INTO jobs (id, owner_id, kind, payload, idempotency_key) "
    "VALUES (coalesce(:id, nextval('jobs_id_seq')), :owner, :kind, :payload, :key) "
    "ON CONFLICT (owner_id, idempotency_key) DO NOTHING RETURNING id, status"
)
BY_KEY = "SELECT id, status FROM jobs WHERE owner_id = :owner AND idempotency_key = :key"


def enqueue(engine: Engine, owner: int, kind: str, payload: dict, key, job_id=None) -> dict:
    values = {"id": job_id, "owner": owner, "kind": kind, "payload": json.dumps(payload)}
    with engine.begin() as db:
        row = db.execute(text(INSERT), {**values, "key": key}).first()
        if row is None:  # the same key again: the job it started
            row = db.execute(text(BY_KEY), {"owner": owner, "key": key}).first()
    return dict(row._mapping)


def get(engine: Engine, job_id: int) -> dict | None:
    with engine.connect() as db:
        found = text(f"SELECT {COLUMNS} FROM jobs WHERE id = :id")
        row = db.execute(found, {"id": job_id}).first()
    return None if row is None else dict(row._mapping)


def claim(engine: Engine) -> dict | None:
    with engine.begin() as db:
        row = db.execute(
            text(
                "UPDATE jobs SET status = 'running', attempts = attempts + 1, "
                "started_at = coalesce(started_at, now()), "
                "lease_until = now() + make_interval(secs => :lease) "
                f"WHERE id = (SELECT id FROM jobs WHERE {CLAIMABLE} ORDER BY id LIMIT 1 "
                "FOR UPDATE SKIP LOCKED) RETURNING id, owner_id, kind, payload, attempts"
            ),
            {"lease": LEASE},
        ).first()
    return None if row is None else dict(row._mapping)


def renew(engine: Engine, job_id: int) -> None:
    with engine.begin() as db:
        db.execute(
            text("UPDATE jobs SET lease_until = now() + make_interval(secs => :lease) "
                 "WHERE id = :id AND status = 'running'"),
            {"id": job_id, "lease": LEASE},
        )


def finish(db, job_id: int, result: dict | None, error: str | None) -> None:
    db.execute(
        text("UPDATE jobs SET status = :status, result = :result, error = :error, "
             "finished_at = now(), lease_until = NULL WHERE id = :id"),
        {"id": job_id, "status": "failed" if error else "succeeded",
         "result": None if result is None else json.dumps(result), "error": error},
    )
'''

WORKER = '''"""`expense-tracker worker`: take jobs from the database, one by one, until stopped."""

import csv
import io
import signal
import threading
import time

from sqlalchemy import text

from expense_tracker.core.config import get_settings
from expense_tracker.db import make_engine
from expense_tracker.jobs import queue
from expense_tracker.models import parse_amount, parse_category

IDLE = 0.2  # seconds between two looks at an empty queue
stopping = threading.Event()


def run() -> int:
    engine = make_engine(get_settings().require_database_url())
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())  # finish the job, then exit
    print("worker: waiting for jobs", flush=True)
    while not stopping.is_set():
        job = queue.claim(engine)
        if job is None:
            stopping.wait(IDLE)
            continue
        print(f"worker: job {job['id']}, attempt {job['attempts']}", flush=True)
        beating = threading.Event()
        beat = (engine, job["id"], beating)
        threading.Thread(target=_heartbeat, args=beat, daemon=True).start()
        try:
            run_job(engine, job)
        finally:
            beating.set()
    return 0


def run_job(engine, job: dict) -> None:
    with engine.begin() as db:
        if job["attempts"] > queue.MAX_ATTEMPTS:
            queue.finish(db, job["id"], None, f"gave up after {queue.MAX_ATTEMPTS} attempts")
            return
        try:
            with db.begin_nested():
                result = do_import(db, job)
            queue.finish(db, job["id"], result, None)
        except Exception as error:
            queue.finish(db, job["id"], None, str(error) or type(error).__name__)


def _heartbeat(engine, job_id: int, done: threading.Event) -> None:
    while not done.wait(queue.LEASE / 4):
        queue.renew(engine, job_id)


def do_import(db, job: dict) -> dict:
    payload = job["payload"]
    time.sleep(float(payload.get("delay_seconds", 0)))
    imported = 0
    for number, row in enumerate(csv.DictReader(io.StringIO(payload["csv"])), start=2):
        try:
            amount, category = parse_amount(row["amount"]), parse_category(row["category"])
        except Exception as error:
            raise ValueError(f"line {number}: {error}") from None
        db.execute(
            text("INSERT INTO expenses (owner_id, amount, category, note) "
                 "VALUES (:owner, :amount, :category, '')"),
            {"owner": job["owner_id"], "amount": amount, "category": category},
        )
        imported += 1
    return {"imported": imported}
'''

ROUTES = '''"""/imports: start an import of expenses from CSV text as a job; read how it went."""

from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Path, Request, Response
from pydantic import BaseModel, Field

from expense_tracker.api.deps import CurrentUser
from expense_tracker.jobs import queue

router = APIRouter(prefix="/imports", tags=["imports"])
ENDED = ("succeeded", "failed")
JobId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class ImportIn(BaseModel):
    csv: str = Field(max_length=100_000)
    delay_seconds: float = Field(default=0, ge=0, le=30)


@router.post("", status_code=202)
def start_import(
    body: ImportIn,
    user: CurrentUser,
    request: Request,
    response: Response,
    idempotency_key: Annotated[str | None, Header()] = None,
) -> dict:
    engine = request.app.state.jobs_engine
    job = queue.enqueue(engine, user.id, "import", body.model_dump(), idempotency_key)
    response.headers["Location"] = f"/v1/imports/{job['id']}"
    return {"id": job["id"], "status": job["status"]}


@router.get("/{job_id}")
def read_import(job_id: JobId, user: CurrentUser, request: Request, response: Response) -> dict:
    job = queue.get(request.app.state.jobs_engine, job_id)
    if job is None or (job["owner_id"] != user.id and not user.is_admin):
        raise HTTPException(status_code=404, detail="no such import")
    if job["status"] not in ENDED:
        response.headers["Retry-After"] = "1"
    return {key: value for key, value in job.items() if key not in ("owner_id", "payload")}
'''

PYPROJECT = """
[tool.roadmap.jobs]
start = "/v1/imports"
worker = ["expense-tracker", "worker"]
stalled_after = 8

[tool.roadmap.jobs.succeeds]
body = { csv = "amount,category\\n{amount},{category}\\n" }
result = { imported = 1 }

[tool.roadmap.jobs.slow]
body = { csv = "amount,category\\n{amount},{category}\\n", delay_seconds = 4 }

[tool.roadmap.jobs.fails]
body = { csv = "amount,category\\nnot-a-number,{category}\\n" }
"""

# Each defect: where it is planted, as (file, the text it replaces, what replaces it); a
# file with no text to replace is a new one.
ROUTES_FILE = "src/expense_tracker/api/routes/imports.py"
WORKER_FILE = "src/expense_tracker/jobs/worker.py"
QUEUE_FILE = "src/expense_tracker/jobs/queue.py"
CLAIMABLE = "CLAIMABLE = \"status = 'queued' OR (status = 'running' AND lease_until < now())\""
ENQUEUE = "    job = queue.enqueue("
LOCATION = '    response.headers["Location"]'
OWNER = '    if job is None or (job["owner_id"] != user.id and not user.is_admin):'
IN_MEMORY = """    job_id = next(NUMBERS)
    PENDING[job_id] = (user.id, "import", body.model_dump())
    response.headers["Location"] = f"/v1/imports/{job_id}"
    return {"id": job_id, "status": "queued"}
"""
WRITTEN_WHEN_READ = """    if job_id in PENDING:  # written to the table when first read
        owner, kind, payload = PENDING.pop(job_id)
        queue.enqueue(request.app.state.jobs_engine, owner, kind, payload, None, job_id)
"""
RUN_ONCE = '''

def run_once(engine) -> None:
    """Run the job just queued in the API's own process: the BackgroundTasks cheat."""
    job = queue.claim(engine)
    if job is not None:
        run_job(engine, job)
'''
DEFECTS: dict[str, list[tuple[str, str, str]]] = {
    # accepted-202: the slow work runs inside the request
    "work-in-request": [
        (ROUTES_FILE, ENQUEUE, "    import time\n\n    time.sleep(body.delay_seconds)\n" + ENQUEUE)
    ],
    # accepted-202: no Location
    "no-location": [(ROUTES_FILE, LOCATION, "    # response.headers")],
    # needs-a-worker: FastAPI's BackgroundTasks runs the job in the API's process
    "background-tasks": [
        (
            ROUTES_FILE,
            "from fastapi import APIRouter,",
            "from fastapi import APIRouter, BackgroundTasks,",
        ),
        (
            ROUTES_FILE,
            "    response: Response,\n    idempotency_key",
            "    response: Response,\n    background: BackgroundTasks,\n    idempotency_key",
        ),
        (
            ROUTES_FILE,
            LOCATION,
            "    from expense_tracker.jobs.worker import run_once\n\n"
            "    background.add_task(run_once, engine)\n" + LOCATION,
        ),
        (
            WORKER_FILE,
            'return {"imported": imported}\n',
            'return {"imported": imported}\n' + RUN_ONCE,
        ),
    ],
    # needs-a-worker: the worker command does not exist (a typo in the manifest)
    "no-worker-command": [
        (
            "pyproject.toml",
            'worker = ["expense-tracker", "worker"]',
            'worker = ["expense-tracker", "wokrer"]',
        ),
    ],
    # status-reaches-succeeded: a result computed wrongly
    "wrong-result": [
        (WORKER_FILE, 'return {"imported": imported}', 'return {"imported": imported + 1}')
    ],
    # status-reaches-succeeded: the status without its result
    "no-result": [
        (
            ROUTES_FILE,
            'key not in ("owner_id", "payload")',
            'key not in ("owner_id", "payload", "result")',
        )
    ],
    # failure-recorded: the status of a failed job answers 500
    "failed-status-500": [
        (
            ROUTES_FILE,
            '    if job["status"] not in ENDED:',
            '    assert job["status"] != "failed", job["error"]\n'
            '    if job["status"] not in ENDED:',
        )
    ],
    # failure-recorded: the worker dies on a job that fails
    "worker-dies-on-failure": [
        (WORKER_FILE, "except Exception as error:\n", "except KeyError as error:\n")
    ],
    # others-jobs-404: anyone who knows the id reads the job
    "others-readable": [(ROUTES_FILE, OWNER, "    if job is None:")],
    # worker-crash: a running job is never taken again, whatever its lease
    "stuck-running": [(QUEUE_FILE, CLAIMABLE, "CLAIMABLE = \"status = 'queued'\"")],
    # runs-once: a worker takes running jobs too, whatever their lease
    "runs-twice": [(QUEUE_FILE, CLAIMABLE, "CLAIMABLE = \"status IN ('queued', 'running')\"")],
    # retry-after: not said
    "no-retry-after": [
        (ROUTES_FILE, '        response.headers["Retry-After"] = "1"', "        pass")
    ],
    # idempotency-key: ignored
    "no-idempotency": [
        (ROUTES_FILE, "body.model_dump(), idempotency_key)", "body.model_dump(), None)")
    ],
    # survives-api-kill: jobs kept in the API's memory until someone reads one
    "in-memory": [
        (ROUTES_FILE, ENQUEUE, IN_MEMORY + ENQUEUE),
        (ROUTES_FILE, "    job = queue.get(", WRITTEN_WHEN_READ + "    job = queue.get("),
        (
            ROUTES_FILE,
            'ENDED = ("succeeded", "failed")\n',
            'ENDED = ("succeeded", "failed")\n'
            "NUMBERS = iter(range(1_000_000, 2_000_000))\nPENDING = {}\n",
        ),
    ],
    # no-broker: a broker's client among the dependencies, and no ADR says why
    "broker": [("requirements/worker.txt", "", "celery[redis]==5.4.0\n")],
}
APP = "src/expense_tracker/api/app.py"
ROUTERS = "from expense_tracker.api.routes import auth, expenses, health, users"
INCLUDE = '    app.include_router(expenses.router, prefix="/v1")\n'
OPENED = "        app.state.database = bootstrap.open_database(database_url)\n"
ENGINE = """        from expense_tracker.db import make_engine

        app.state.jobs_engine = make_engine(database_url)
"""
PARSED = "    args = build_parser().parse_args(argv)\n"
RUNS_WORKER = """    if getattr(args, "worker", False):
        from expense_tracker.jobs.worker import run

        return run()
"""
ADMIN = "    create_admin.set_defaults(handler=_create_admin, acts_as_user=False)\n"
WORKER_COMMAND = """    worker = commands.add_parser("worker", help="take jobs from the database")
    worker.set_defaults(worker=True)
"""
GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]


def make_jobs(project: Path, *defects: str) -> Path:
    """Give the stage-6 reference at `project` jobs, with `defects` planted; commit."""
    package = project / "src" / "expense_tracker"
    (package / "jobs").mkdir()
    (package / "jobs" / "__init__.py").write_text('"""Jobs: a queue in PostgreSQL."""\n')
    (package / "jobs" / "queue.py").write_text(QUEUE)
    (package / "jobs" / "worker.py").write_text(WORKER)
    (package / "api" / "routes" / "imports.py").write_text(ROUTES)
    (project / "migrations" / "versions" / "0002_create_jobs.py").write_text(MIGRATION)
    change(project, APP, ROUTERS, ROUTERS.replace("health,", "health, imports,"))
    change(project, APP, INCLUDE, INCLUDE + INCLUDE.replace("expenses", "imports"))
    change(project, APP, OPENED, OPENED + ENGINE)
    change(project, "src/expense_tracker/cli.py", PARSED, PARSED + RUNS_WORKER)
    change(project, "src/expense_tracker/cli.py", ADMIN, ADMIN + WORKER_COMMAND)
    change(project, "pyproject.toml", "stage = 6 ", "stage = 7 ")
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + PYPROJECT)
    for defect in defects:
        for file, old, new in DEFECTS[defect]:
            change(project, file, old, new)
    for args in (["add", "--all"], ["commit", "-qm", "Import expenses as jobs"]):
        subprocess.run([*GIT, *args], cwd=project, check=True, capture_output=True)
    return project


def change(project: Path, file: str, old: str, new: str) -> None:
    path = project / file
    if not old:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(new)
        return
    text = path.read_text()
    assert old in text, f"{file} has no {old!r}"
    path.write_text(text.replace(old, new, 1))
