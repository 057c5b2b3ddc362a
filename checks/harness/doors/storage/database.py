"""A run's PostgreSQL (stage 4 on): the server, its databases, and the migrated template.

The main process provides the server and the run's login (`provide`, `RunDatabases`),
then, once the project is installed, builds the template every check's database is
copied from (`prepare_template`: the learner's migrations, then the operator the CLI acts
as). Every process of the run, workers included, then asks `fresh` for a database of its
own (ADR 0012).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shlex
import tempfile
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

from checks.harness import process, shared
from checks.harness.doors.storage import postgres
from checks.harness.doors.storage.postgres import (
    Cluster,
    Postgres,
    PostgresUnavailable,
)
from checks.harness.doors.storage.postgres_run import RunDatabases, name_of
from checks.harness.failure import CheckFailed, outcome
from checks.harness.manifest import Manifest
from checks.harness.workspace import Workspace

__all__ = ["FROM_STAGE", "Postgres", "PostgresUnavailable", "RunDatabases"]

FROM_STAGE = 4
TEMPLATE = "template"
MIGRATED = "migrated"  # the template before any learner program but the migrations ran
OUTCOME = "database.json"  # in the run's state folder
WAIT_SECONDS = 600.0  # an install and a migration run, at most


@dataclass(frozen=True)
class Template:
    """What `prepare_template` made: the template's name and the CLI's operator, or why not."""

    name: str
    operator: str = ""  # the admin the CLI acts as; "" without a CLI
    password: str = ""
    secret: str = ""  # the key learner programs sign tokens with: the checker knows it
    tables: tuple[str, ...] = ()  # what the migrations made, before any program ran on it
    failure: dict[str, str] | None = None  # a CheckFailed's fields
    migrated: str = TEMPLATE  # the database as the migrations alone left it
    counts: dict[str, int] | None = None  # rows per table, with the operator made


# Every check's database is a copy of the template: on a disk filesystem each copy costs
# the kernel about 0.2 s of CPU (ext4, 8 MB of files and WAL), in memory a tenth of that.
# A throw-away cluster's data needs no disk: it is deleted at the end of the run.
IN_MEMORY = Path("/dev/shm")
IN_MEMORY_ROOM = 1 << 30  # bytes free it needs there: about 8 MB a database, ~100 a run


def cluster_folder(work_base: Path | None, run_id: str) -> Path:
    """Where a throw-away cluster lives: in memory (tmpfs) when the machine has room there,
    else beside the workspaces; short, because its socket path must fit 107 bytes."""
    base = IN_MEMORY if _roomy_tmpfs(IN_MEMORY) else work_base or Path(tempfile.gettempdir())
    return base / f"pg-{run_id}"


def _roomy_tmpfs(folder: Path) -> bool:
    try:
        mounts = Path("/proc/self/mounts").read_text().splitlines()
        free = os.statvfs(folder)
    except OSError:
        return False
    is_tmpfs = any(m.split()[1:3] == [str(folder), "tmpfs"] for m in mounts if m.strip())
    room = free.f_bavail * free.f_frsize >= IN_MEMORY_ROOM
    return is_tmpfs and room and os.access(folder, os.W_OK | os.X_OK)


class Provisioning:
    """The run's PostgreSQL and its login, made in a thread while the checker copies the
    workspace (a cluster takes most of a second to start); `result` waits for them."""

    def __init__(self, url: str | None, folder: Path, groups_log: Path, run_id: str) -> None:
        self.server: Postgres | None = None
        self.databases: RunDatabases | None = None
        self.error: PostgresUnavailable | None = None
        args = (url, folder, groups_log, run_id)
        self._thread = threading.Thread(target=self._provide, args=args, daemon=True)
        self._thread.start()

    def _provide(self, url: str | None, folder: Path, groups_log: Path, run_id: str) -> None:
        try:
            self.server = provide(url, folder, groups_log)
            self.databases = RunDatabases.open(self.server, run_id)
        except PostgresUnavailable as error:
            self.error = error
        except Exception as error:  # the main thread must hear of it, in one line
            self.error = PostgresUnavailable(f"the checker could not start it: {error}")

    def result(self) -> RunDatabases:
        self._thread.join()
        if self.error is not None:
            raise self.error
        assert self.databases is not None
        return self.databases

    def close(self) -> None:
        """Drop the run's databases and stop a cluster; safe after any failure."""
        self._thread.join()
        if self.databases is not None and not isinstance(self.server, Cluster):
            self.databases.drop_all()  # a cluster of the run's own goes as a whole
        if self.server is not None:
            self.server.close()


def provide(url: str | None, folder: Path, groups_log: Path) -> Postgres:
    """The run's server; a cluster's postmaster goes into the groups the watchdog kills."""
    server = postgres.provide(url, folder)
    if isinstance(server, Cluster):
        with open(groups_log, "a") as log:
            log.write(f"{server.pid}\n")
    return server


def write_template(state: Path, template: Template) -> None:
    shared.publish(state / OUTCOME, asdict(template))


def read_template(state: Path, wait: float = WAIT_SECONDS) -> Template | None:
    """The template, once the main process has made it (None if it never did)."""
    from checks.harness.preparation import wait_for  # preparation imports this door

    path = wait_for(state / OUTCOME, wait)
    if not path.is_file():
        return None
    data = json.loads(path.read_text("utf-8"))
    return Template(**{**data, "tables": tuple(data["tables"])})


# The run's databases, for this process: set once by the checker and by each worker.
_run: RunDatabases | None = None
_state: Path | None = None
_manifest: Manifest | None = None
_template: Template | None = None


def use(run: RunDatabases | None, state: Path | None, manifest: Manifest) -> None:
    global _run, _state, _manifest, _template
    _run, _state, _manifest, _template = run, state, manifest, None


def in_use() -> bool:
    return _run is not None


def template() -> Template:
    """The run's template; a CheckFailed (blocked by the migrations check) if it failed."""
    global _template
    if _template is None:
        assert _state is not None
        _template = read_template(_state) or Template(
            TEMPLATE, failure={"problem": "the checker could not prepare the database in time"}
        )
    if _template.failure:
        raise shared.failure_from(dict(_template.failure))
    return _template


def require_migrated() -> None:
    """Fail as the migrations did on the run's template; pass when they built it."""
    try:
        template()
    except CheckFailed as failure:
        if failure.step == MIGRATIONS_STEP:
            raise


def program_env() -> dict[str, str]:
    """Besides DATABASE_URL, what every learner program gets from stage 4: the signing key,
    production mode, and the user the CLI acts as."""
    made, manifest = template(), _manifest
    if manifest is None or manifest.auth is None:
        return {}
    env = auth_env(manifest, made.secret)
    if manifest.auth.cli_user_env and made.operator:
        env[manifest.auth.cli_user_env] = made.operator
    return env


def fresh() -> str:
    """A new database of the run, a copy of the migrated template: its learner URL."""
    assert _run is not None
    return _run.create(f"c{secrets.token_hex(5)}", template=template().name)


def empty() -> str:
    """A new, empty database of the run (no migrations run): its learner URL."""
    assert _run is not None
    return _run.create(f"e{secrets.token_hex(5)}")


def freshly_migrated() -> str:
    """A new database as `upgrade head` alone leaves an empty one (a copy: the migrations
    ran once, for the template): its learner URL."""
    assert _run is not None
    return _run.create(f"m{secrets.token_hex(5)}", template=template().migrated)


def tables(url: str) -> set[str]:
    """The tables of the database at `url`, as its administrator sees them."""
    assert _run is not None
    return set(_run.sql_in(url, TABLES_SQL).stdout.split())


TABLES_SQL = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"


def delete_rows_naming(url: str, value: str) -> int:
    """Delete, as the administrator, every row of the database at `url` that holds `value`
    in a text column (a user the checker signed up: the learner's schema is theirs to
    name); how many went."""
    assert _run is not None
    columns = _run.sql_in(
        url,
        "SELECT table_name || '.' || column_name FROM information_schema.columns WHERE "
        "table_schema = 'public' AND data_type IN ('text', 'character varying')",
    )
    literal = "'" + value.replace("'", "''") + "'"
    deleted = 0
    for pair in columns.stdout.split():
        table, column = pair.split(".", 1)
        sql = (
            f'WITH gone AS (DELETE FROM "{table}" WHERE "{column}" = {literal} RETURNING 1) '
            "SELECT count(*) FROM gone"
        )
        answered = _run.sql_in(url, sql)
        with contextlib.suppress(ValueError):
            deleted += int(answered.stdout.strip() or 0)
    return deleted


def row_counts(url: str) -> dict[str, int]:
    """How many rows each table of the database at `url` holds, in one query."""
    assert _run is not None
    names = sorted(tables(url))
    if not names:
        return {}
    counts = " UNION ALL ".join(
        f"SELECT '{name}', count(*) FROM \"{name}\"" for name in names
    )  # fmt: skip
    answered = _run.sql_in(url, f"SELECT json_object_agg(t, n) FROM ({counts}) AS c(t, n)")
    try:
        found = json.loads(answered.stdout or "{}")
    except ValueError:
        return {}
    return {str(k): int(v) for k, v in found.items()} if isinstance(found, dict) else {}


def unchanged_since_template(url: str) -> bool:
    """True when the database at `url`, a copy of the template, still holds exactly as
    many rows in each table as the template did: nothing was stored since."""
    made = template()
    return made.counts is not None and row_counts(url) == made.counts


def copy_of(url: str) -> str:
    """A new database of the run, a copy of the one at `url` (no connection may be open)."""
    assert _run is not None
    source = name_of(url).removeprefix(_run.prefix)
    return _run.create(f"c{secrets.token_hex(5)}", template=source)


def all_rows(url: str) -> list[tuple[object, ...]]:
    """Every row of every table the program made in the database at `url`, read by the
    checker's administrator (the learner's login could hide rows from itself)."""
    assert _run is not None
    rows: list[tuple[object, ...]] = []
    for table in sorted(tables(url) - {"alembic_version"}):
        query = f"SELECT coalesce(json_agg(row_to_json(t)), '[]') FROM \"{table}\" t"
        answered = _run.sql_in(url, query)
        with contextlib.suppress(ValueError):
            rows += [tuple(row.values()) for row in json.loads(answered.stdout or "[]")]
    return rows


MIGRATIONS_STEP = "04-auth/migrations-upgrade"  # the check that grades building the schema
ADMIN_STEP = "04-auth/admin-from-the-cli"  # the check that grades making an admin


def prepare_template(
    workspace: Workspace,
    manifest: Manifest,
    run: RunDatabases,
    timeout: float,
    operator: bool = True,
) -> Template:
    """Make the run's template: an empty database, the learner's migrations run on it
    (as any learner program, contained), then, when a check acts as them, the operator
    the CLI acts as and the API checks log in as."""
    url, secret = run.create(TEMPLATE), secrets.token_urlsafe(32)
    env = workspace.env(DATABASE_URL=url, **auth_env(manifest, secret))
    upgrade = list(manifest.migrations.upgrade)
    migrated = process.run(upgrade, cwd=workspace.project, env=env, timeout=timeout * 4)
    if not migrated.ok:
        failure = {
            "problem": "your migrations did not build the schema on an empty database",
            "ran": shlex.join(upgrade),
            "got": outcome(migrated),
            "expected": "exit code 0, with every table your code uses created",
            "step": MIGRATIONS_STEP,
        }
        return Template(TEMPLATE, secret=secret, failure=failure)
    schema = tuple(sorted(tables(url)))
    auth, cli = manifest.auth, manifest.cli
    if not operator or auth is None or cli is None or not auth.create_admin:
        return Template(TEMPLATE, secret=secret, tables=schema)
    run.create(MIGRATED, template=TEMPLATE)  # before the CLI, which could add tables
    name, password = f"operator_{secrets.token_hex(3)}", secrets.token_urlsafe(12)
    filled = [a.format(username=name, password=password) for a in auth.create_admin]
    made = process.run(
        [cli.command, *filled], cwd=workspace.project, env=env, timeout=timeout
    )  # fmt: skip
    if not made.ok:
        shown = [a.replace(password, "PASSWORD") for a in [cli.command, *filled]]
        failure = {
            "problem": "the command that makes an admin did not work",
            "ran": shlex.join(shown),
            "got": outcome(made),
            "expected": "exit code 0, and an admin who can log in",
            "step": ADMIN_STEP,
        }
        return Template(TEMPLATE, secret=secret, tables=schema, failure=failure)
    counts = row_counts(url)
    return Template(TEMPLATE, name, password, secret, schema, migrated=MIGRATED, counts=counts)


def auth_env(manifest: Manifest, secret: str) -> dict[str, str]:
    """What every learner program of a stage-4 run gets: the run's signing key (the
    checker's, so checks can sign tokens of their own) and production mode."""
    if manifest.auth is None:
        return {}
    return {manifest.auth.secret_env: secret, manifest.auth.mode_env: "production"}
