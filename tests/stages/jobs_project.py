"""A stage-7 project for the tests, until reference 7 exists: reference 4 with imports of
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
COLUMNS = "id, owner_id, kind, payload, status, attempts, result, error, created_at, started_at, finished_at"
CLAIMABLE = "status = 'queued' OR (status = 'running' AND lease_until < now())"  # @claimable


def enqueue(
    engine: Engine, owner_id: int, kind: str, payload: dict, key: str | None, job_id: int | None = None
) -> dict:
    with engine.begin() as db:
        row = db.execute(
            text(
                "INSERT INTO jobs (id, owner_id, kind, payload, idempotency_key) "
                "VALUES (coalesce(:id, nextval('jobs_id_seq')), :owner, :kind, :payload, :key) "
                "ON CONFLICT (owner_id, idempotency_key) DO NOTHING RETURNING id, status"
            ),
            {"id": job_id, "owner": owner_id, "kind": kind, "payload": json.dumps(payload), "key": key},
        ).first()
        if row is None:  # the same key again: the job it started
            row = db.execute(
                text("SELECT id, status FROM jobs WHERE owner_id = :owner AND idempotency_key = :key"),
                {"owner": owner_id, "key": key},
            ).first()
    return dict(row._mapping)


def get(engine: Engine, job_id: int) -> dict | None:
    with engine.connect() as db:
        row = db.execute(text(f"SELECT {COLUMNS} FROM jobs WHERE id = :id"), {"id": job_id}).first()
    return None if row is None else dict(row._mapping)


def claim(engine: Engine) -> dict | None:
    with engine.begin() as db:
        row = db.execute(
            text(
                "UPDATE jobs SET status = 'running', attempts = attempts + 1, "
                "started_at = coalesce(started_at, now()), "
                "lease_until = now() + make_interval(secs => :lease) "
                f"WHERE id = (SELECT id FROM jobs WHERE {CLAIMABLE} ORDER BY id LIMIT 1 "
                "FOR UPDATE SKIP LOCKED) RETURNING id, owner_id, kind, payload, attempts"  # @lock
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

WORKER = '''"""`expense-tracker worker`: take jobs from the database, one at a time, until stopped."""

import csv
import io
import signal
import sys
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
    engine = make_engine(get_settings().database_url)
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())  # finish the job, then exit
    print("worker: waiting for jobs", flush=True)
    while not stopping.is_set():
        job = queue.claim(engine)
        if job is None:
            stopping.wait(IDLE)
            continue
        print(f"worker: job {job['id']}, attempt {job['attempts']}", flush=True)
        beating = threading.Event()
        threading.Thread(target=_heartbeat, args=(engine, job["id"], beating), daemon=True).start()
        try:
            with engine.begin() as db:
                if job["attempts"] > queue.MAX_ATTEMPTS:
                    queue.finish(db, job["id"], None, f"gave up after {queue.MAX_ATTEMPTS} attempts")
                    continue
                try:
                    with db.begin_nested():
                        result = do_import(db, job)
                    queue.finish(db, job["id"], result, None)
                except Exception as error:  # @catch
                    queue.finish(db, job["id"], None, str(error) or type(error).__name__)
        finally:
            beating.set()
    return 0


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
    return {"imported": imported}  # @result


if __name__ == "__main__":
    sys.exit(run())
'''

ROUTES = '''"""/imports: start an import of expenses from CSV text as a job, and read how it went."""

from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Path, Request, Response
from pydantic import BaseModel, Field

from expense_tracker.api.deps import CurrentUser
from expense_tracker.jobs import queue

router = APIRouter(prefix="/imports", tags=["imports"])
ENDED = ("succeeded", "failed")


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
    job = queue.enqueue(request.app.state.jobs_engine, user.id, "import", body.model_dump(), idempotency_key)
    response.headers["Location"] = f"/v1/imports/{job['id']}"  # @location
    return {"id": job["id"], "status": job["status"]}


@router.get("/{job_id}")
def read_import(
    job_id: Annotated[int, Path(ge=1, le=2**31 - 1)], user: CurrentUser, request: Request,
    response: Response,
) -> dict:
    job = queue.get(request.app.state.jobs_engine, job_id)
    if job is None or (job["owner_id"] != user.id and not user.is_admin):  # @owner
        raise HTTPException(status_code=404, detail="no such import")
    if job["status"] not in ENDED:
        response.headers["Retry-After"] = "1"  # @retry
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
body = { csv = "amount,category\\n{amount},{category}\\n", delay_seconds = 2 }

[tool.roadmap.jobs.fails]
body = { csv = "amount,category\\nnot-a-number,{category}\\n" }
"""

# Each defect: where it is planted, as (file, the text it replaces, what replaces it).
ROUTES_FILE = "src/expense_tracker/api/routes/imports.py"
WORKER_FILE = "src/expense_tracker/jobs/worker.py"
CLAIMABLE = "CLAIMABLE = \"status = 'queued' OR (status = 'running' AND lease_until < now())\""
ENQUEUE = "    job = queue.enqueue("
DEFECTS: dict[str, list[tuple[str, str, str]]] = {
    # accepted-202: the slow work runs inside the request
    "work-in-request": [
        (ROUTES_FILE, ENQUEUE, "    import time\n\n    time.sleep(body.delay_seconds)\n" + ENQUEUE)
    ],
    # accepted-202: no Location
    "no-location": [(ROUTES_FILE, "    response.headers[\"Location\"]", "    # response.headers")],
    # needs-a-worker: FastAPI's BackgroundTasks runs the job in the API's process
    "background-tasks": [
        (ROUTES_FILE, "from fastapi import APIRouter,", "from fastapi import APIRouter, BackgroundTasks,"),
        (ROUTES_FILE, "    response: Response,\n    idempotency_key",
         "    response: Response,\n    background: BackgroundTasks,\n    idempotency_key"),
        (ROUTES_FILE, "    response.headers[\"Location\"]",
         "    from expense_tracker.jobs.worker import run_once\n\n"
         "    background.add_task(run_once, request.app.state.jobs_engine)\n"
         "    response.headers[\"Location\"]"),
    ],
    # status-reaches-succeeded: a result computed wrongly
    "wrong-result": [
        (WORKER_FILE, 'return {"imported": imported}', 'return {"imported": imported + 1}')
    ],
    # status-reaches-succeeded: the status without its result
    "no-result": [
        (ROUTES_FILE, 'key not in ("owner_id", "payload")', 'key not in ("owner_id", "payload", "result")')
    ],
    # failure-recorded: the status of a failed job answers 500
    "failed-status-500": [
        (ROUTES_FILE, '    if job["status"] not in ENDED:',
         '    assert job["status"] != "failed", job["error"]\n    if job["status"] not in ENDED:')
    ],
    # failure-recorded: the worker dies on a job that fails
    "worker-dies-on-failure": [
        (WORKER_FILE, "except Exception as error:  # @catch", "except KeyError as error:  # @catch")
    ],
    # others-jobs-404: anyone who knows the id reads the job
    "others-readable": [
        (ROUTES_FILE, '    if job is None or (job["owner_id"] != user.id and not user.is_admin):',
         "    if job is None:")
    ],
    # worker-crash: a running job is never taken again, whatever its lease
    "stuck-running": [("src/expense_tracker/jobs/queue.py", CLAIMABLE, "CLAIMABLE = \"status = 'queued'\"")],
    # runs-once: a worker takes running jobs too, whatever their lease
    "runs-twice": [
        ("src/expense_tracker/jobs/queue.py", CLAIMABLE, "CLAIMABLE = \"status IN ('queued', 'running')\"")
    ],
    # retry-after: not said
    "no-retry-after": [(ROUTES_FILE, '        response.headers["Retry-After"] = "1"', "        pass")],
    # idempotency-key: ignored
    "no-idempotency": [(ROUTES_FILE, "body.model_dump(), idempotency_key)", "body.model_dump(), None)")],
    # survives-api-kill: jobs kept in the API's memory until someone reads one
    "in-memory": [
        (ROUTES_FILE, ENQUEUE,
         "    job_id = next(NUMBERS)\n    PENDING[job_id] = (user.id, \"import\", body.model_dump())\n"
         "    response.headers[\"Location\"] = f\"/v1/imports/{job_id}\"\n"
         "    return {\"id\": job_id, \"status\": \"queued\"}\n" + ENQUEUE),
        (ROUTES_FILE, "    job = queue.get(request.app.state.jobs_engine, job_id)\n",
         "    if job_id in PENDING:  # written to the table when first read\n"
         "        queue.enqueue(request.app.state.jobs_engine, *PENDING.pop(job_id), None, "
         "job_id)\n"
         "    job = queue.get(request.app.state.jobs_engine, job_id)\n"),
        (ROUTES_FILE, 'ENDED = ("succeeded", "failed")\n',
         'ENDED = ("succeeded", "failed")\nNUMBERS = iter(range(1_000_000, 2_000_000))\nPENDING = {}\n'),
    ],
    # no-broker: a broker's client among the dependencies, and no ADR says why
    "broker": [("pyproject.toml", "\n[tool.roadmap]\n",
                '\n[project.optional-dependencies]\nqueue = ["redis>=5"]\n\n[tool.roadmap]\n')],
}
RUN_ONCE = '''

def run_once(engine) -> None:
    """Run the job just queued in the API's own process: the BackgroundTasks cheat."""
    job = queue.claim(engine)
    if job is not None:
        with engine.begin() as db:
            queue.finish(db, job["id"], do_import(db, job), None)
'''


def make_jobs(project: Path, *defects: str) -> Path:
    """Give the stage-4 reference at `project` jobs, with `defects` planted; commit."""
    package = project / "src" / "expense_tracker"
    (package / "jobs").mkdir()
    (package / "jobs" / "__init__.py").write_text('"""Jobs: a queue in PostgreSQL."""\n')
    (package / "jobs" / "queue.py").write_text(QUEUE)
    (package / "jobs" / "worker.py").write_text(WORKER + (RUN_ONCE if "background-tasks" in defects else ""))
    (package / "api" / "routes" / "imports.py").write_text(ROUTES)
    (project / "migrations" / "versions" / "0002_create_jobs.py").write_text(MIGRATION)
    _change(package / "api" / "main.py", "from expense_tracker.api.routes import auth, expenses, users",
            "from expense_tracker.api.routes import auth, expenses, imports, users")
    _change(package / "api" / "main.py", "    app.include_router(expenses.router, prefix=\"/v1\")\n",
            "    app.include_router(expenses.router, prefix=\"/v1\")\n"
            "    app.include_router(imports.router, prefix=\"/v1\")\n")
    _change(package / "api" / "main.py",
            "        app.state.unit_of_work_factory = bootstrap.unit_of_work_factory(settings.database_url)\n",
            "        app.state.unit_of_work_factory = bootstrap.unit_of_work_factory(settings.database_url)\n"
            "        from expense_tracker.db import make_engine\n\n"
            "        app.state.jobs_engine = make_engine(settings.database_url)\n")
    cli = package / "cli.py"
    _change(cli, "    args = build_parser().parse_args(argv)\n",
            "    args = build_parser().parse_args(argv)\n"
            "    if getattr(args, 'worker', False):\n"
            "        from expense_tracker.jobs.worker import run\n\n"
            "        return run()\n")
    _change(cli, "    create_admin.set_defaults(handler=_create_admin, acts_as_user=False)\n",
            "    create_admin.set_defaults(handler=_create_admin, acts_as_user=False)\n"
            "    worker = commands.add_parser('worker', help='take import jobs from the database')\n"
            "    worker.set_defaults(worker=True)\n")
    pyproject = project / "pyproject.toml"
    _change(pyproject, "stage = 4 ", "stage = 7 ")
    pyproject.write_text(pyproject.read_text() + PYPROJECT)
    for defect in defects:
        for file, old, new in DEFECTS[defect]:
            _change(project / file, old, new)
    for args in (["add", "--all"], ["-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "jobs"]):
        subprocess.run(["git", *args], cwd=project, check=True, capture_output=True)
    return project


def _change(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{path.name} has no {old!r}"
    path.write_text(text.replace(old, new, 1))
