"""The run's template database (stage 4 on): built once, copied for every check (ADR 0012).

Three preparation steps, run by the checker's main process once the project is installed
(preparation.py plans and starts them; `shared.Steps` keeps their state):

- **schema**: an empty database, the learner's migrations run on it, then a copy of it as
  the migrations alone left it (`migrated`), before any other learner program ran;
- **operator**: the admin the CLI acts as and the API checks log in as, made with the
  project's own command (the CLI's `create_admin`, or `admin_command`);
- **drift**: on a copy of `migrated`, whether `alembic check` finds the models and the
  migrations in step.

Each failure names the check that grades it, so the checks standing on it are blocked by
that check, at once.
"""

from __future__ import annotations

import secrets
import shlex
from typing import Any

from checks.harness import process
from checks.harness.doors.storage.postgres_run import RunDatabases
from checks.harness.environment import with_database
from checks.harness.failure import CheckFailed, outcome
from checks.harness.manifest import Manifest
from checks.harness.values import new_password
from checks.harness.workspace import Workspace

TEMPLATE = "template"
MIGRATED = "migrated"  # the template before any learner program but the migrations ran
MIGRATIONS_STEP = "04-auth/migrations-upgrade"  # the checks that grade each step
ADMIN_STEP = "04-auth/admin-from-the-cli"
DRIFT_STEP = "04-auth/migrations-match-the-models"


def build_schema(
    workspace: Workspace, manifest: Manifest, run: RunDatabases, timeout: float
) -> dict[str, Any]:
    """Make the template and run the learner's migrations on it; the tables they made."""
    url = run.create(TEMPLATE)
    upgrade = list(manifest.migrations.upgrade)
    env = workspace.env(**with_database(manifest, url))
    migrated = process.run(upgrade, cwd=workspace.project, env=env, timeout=timeout * 4)
    if not migrated.ok:
        never_ran = migrated.not_started
        raise CheckFailed(
            "your migrations did not build the schema on an empty database",
            ran=shlex.join(upgrade),
            got=outcome(migrated),
            expected="exit code 0, with every table your code uses created",
            fix=_set_up_migrations(never_ran.program) if never_ran else None,
            step=MIGRATIONS_STEP,
        )
    run.create(MIGRATED, template=TEMPLATE)  # before any other program could add tables
    return {"tables": sorted(run.tables(url))}


def _set_up_migrations(program: str) -> str:
    """The fix when the migrations' command is not there at all: set the tool up."""
    if program != "alembic":
        return (
            f"install `{program}` in your project (a dependency in pyproject.toml), or say the "
            "command that builds your schema as migrations.upgrade in [tool.roadmap.migrations]"
        )
    return (
        "set Alembic up, as milestone 2 of the brief shows: `uv add alembic`, `alembic init "
        "migrations`, make migrations/env.py read DATABASE_URL and your models' metadata, then "
        '`alembic revision --autogenerate -m "Create the tables"` and commit the migration'
    )


def make_operator(
    workspace: Workspace, manifest: Manifest, run: RunDatabases, timeout: float, wanted: bool
) -> dict[str, Any]:
    """Make the admin the checks act as, on the template; `{"name": ""}` when no check
    needs them or the manifest says no way to make one (the checks that need them say so)."""
    auth = manifest.auth
    if not wanted or auth is None or not auth.makes_admins:
        return {"name": "", "counts": run.row_counts(run.url_of(TEMPLATE))}
    name, password = auth.new_login("operator"), new_password()
    args = admin_command(manifest)
    filled = admin_command(manifest, name, password)
    url = run.url_of(TEMPLATE)
    env = workspace.env(**with_database(manifest, url))
    made = process.run(filled, cwd=workspace.project, env=env, timeout=timeout)
    if not made.ok:
        raise CheckFailed(
            "the command that makes an admin did not work",
            ran=shlex.join(arg.replace(password, "PASSWORD") for arg in args),
            got=outcome(made).replace(password, "PASSWORD"),
            expected="exit code 0, and an admin who can log in",
            fix=f"run it yourself on a database that `{shlex.join(manifest.migrations.upgrade)}`"
            " built: it must take the user name and the password from its command line (never "
            "ask for them: nobody answers), store the user as an admin and exit 0",
            step=ADMIN_STEP,
        )
    return {"name": name, "password": password, "counts": run.row_counts(url)}


def admin_command(
    manifest: Manifest, name: str = "{username}", password: str = "{password}"
) -> list[str]:
    """The project's command that makes an admin, filled (or with its placeholders)."""
    auth = manifest.require_auth()
    command = [manifest.cli.command] if auth.create_admin and manifest.cli else []
    args = [*command, *(auth.create_admin or auth.admin_command)]
    return [arg.format(username=name, password=password) for arg in args]


def check_drift(
    workspace: Workspace, manifest: Manifest, run: RunDatabases, timeout: float
) -> dict[str, Any]:
    """`alembic check` on a copy of the freshly migrated database: its outcome, as data
    (the check that grades it reads it; a drift is that check's failure, not this step's)."""
    if not manifest.migrations.alembic:
        return {"applies": False}
    url = run.create(f"d{secrets.token_hex(5)}", template=MIGRATED)
    env = workspace.env(**with_database(manifest, url))
    checked = process.run(
        ["alembic", "check"], cwd=workspace.project, env=env, timeout=timeout * 4
    )  # fmt: skip
    return {"applies": True, "ok": checked.ok, "ran": "alembic check", "got": outcome(checked)}
