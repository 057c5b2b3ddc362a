"""A run's PostgreSQL databases (stage 4 on), as every process of the run uses them.

The main process provides the server (provisioning.py) and builds the template every
check's database is copied from (template.py, as preparation steps); each process, the
workers included, then asks `fresh` for a database of its own: a copy of the template,
once the migrations built it and the operator step has ended (ADR 0012). A check that
stands on a step that failed gets that step's failure at once (`shared.Steps`).
"""

from __future__ import annotations

import contextlib
import json
import secrets
from dataclasses import dataclass
from typing import Any

from checks.harness import shared
from checks.harness.doors.storage.postgres_run import RunDatabases, name_of
from checks.harness.doors.storage.template import (
    ADMIN_STEP,
    DRIFT_STEP,
    MIGRATED,
    MIGRATIONS_STEP,
    TEMPLATE,
)

__all__ = ["ADMIN_STEP", "DRIFT_STEP", "MIGRATIONS_STEP", "RunDatabases"]

SCHEMA, OPERATOR, DRIFT = "schema", "operator", "drift"  # the template's steps


@dataclass(frozen=True)
class Operator:
    """The admin the CLI acts as and the API checks log in as ("" when none was made)."""

    name: str
    password: str = ""


# The run's databases, for this process: set once by the checker and by each worker.
_run: RunDatabases | None = None


def use(run: RunDatabases | None) -> None:
    global _run
    _run = run


def in_use() -> bool:
    return _run is not None


def _databases() -> RunDatabases:
    assert _run is not None, "the run's databases are not set in this process"
    return _run


def schema_tables() -> tuple[str, ...]:
    """The tables the migrations made (their failure, blocked by the migrations check)."""
    return tuple(shared.steps().wait(SCHEMA)["tables"])


def require_migrated() -> None:
    """Fail as the migrations did on the run's template; pass when they built it."""
    schema_tables()


def operator() -> Operator:
    """The run's operator; the admin command's failure (graded by its check) if it failed."""
    made = shared.steps().wait(OPERATOR)
    return Operator(made["name"], made.get("password", ""))


def drift() -> dict[str, Any]:
    """What `alembic check` said on a freshly migrated database (template.check_drift)."""
    found: dict[str, Any] = shared.steps().wait(DRIFT)
    return found


def fresh() -> str:
    """A new database of the run, a copy of the migrated template: its URL. Waits until
    the operator step has ended (its program holds the template open), whatever it gave."""
    require_migrated()
    shared.steps().settle(OPERATOR)
    return _databases().create(f"c{secrets.token_hex(5)}", template=TEMPLATE)


def empty() -> str:
    """A new, empty database of the run (no migrations run): its URL."""
    return _databases().create(f"e{secrets.token_hex(5)}")


def freshly_migrated() -> str:
    """A new database as `upgrade head` alone leaves an empty one (a copy: the migrations
    ran once, for the template): its URL."""
    require_migrated()
    return _databases().create(f"m{secrets.token_hex(5)}", template=MIGRATED)


def copy_of(url: str) -> str:
    """A new database of the run, a copy of the one at `url` (no connection may be open)."""
    run = _databases()
    source = name_of(url).removeprefix(run.prefix)
    return run.create(f"c{secrets.token_hex(5)}", template=source)


def tables(url: str) -> set[str]:
    return _databases().tables(url)


def row_counts(url: str) -> dict[str, int]:
    return _databases().row_counts(url)


def unchanged_since_template(url: str) -> bool:
    """True when the database at `url`, a copy of the template, still holds exactly as
    many rows in each table as the template did: nothing was stored since."""
    counts = shared.steps().wait(OPERATOR).get("counts")
    return counts is not None and row_counts(url) == counts


def cut_off(url: str, cut: bool = True) -> None:
    """The database at `url` unreachable to its programs (`cut`), or reachable again."""
    _databases().cut_off(url, cut)


def table_holding(url: str, values: list[str]) -> str | None:
    """The table of the database at `url` with a row that holds every one of `values`
    (as text): where the learner keeps a record the checker made."""
    run = _databases()
    for table in sorted(run.tables(url) - {"alembic_version"}):
        answered = run.sql_in(url, f'SELECT row_to_json(t)::text FROM "{table}" t')
        if any(all(v in line for v in values) for line in answered.stdout.splitlines()):
            return table
    return None


def rename_table(url: str, table: str, new: str) -> None:
    """Rename a table behind the learner's back, as its administrator (and back again)."""
    _databases().sql_in(url, f'ALTER TABLE "{table}" RENAME TO "{new}"')


def all_rows(url: str) -> list[tuple[object, ...]]:
    """Every row of every table the program made in the database at `url`, read by the
    checker's administrator (the learner's login could hide rows from itself)."""
    run, rows = _databases(), []
    for table in sorted(run.tables(url) - {"alembic_version"}):
        query = f"SELECT coalesce(json_agg(row_to_json(t)), '[]') FROM \"{table}\" t"
        answered = run.sql_in(url, query)
        with contextlib.suppress(ValueError):
            rows += [tuple(row.values()) for row in json.loads(answered.stdout or "[]")]
    return rows


def delete_rows_naming(url: str, value: str) -> list[tuple[str, str]]:
    """Delete, as the administrator, every row of the database at `url` that holds `value`
    in a text column (a user the checker signed up: the learner's schema is theirs to
    name); the (table, column) pairs whose rows went."""
    run = _databases()
    columns = run.sql_in(
        url,
        "SELECT table_name || '.' || column_name FROM information_schema.columns WHERE "
        "table_schema = 'public' AND data_type IN ('text', 'character varying')",
    )
    literal = "'" + value.replace("'", "''") + "'"
    deleted = []
    for pair in columns.stdout.split():
        table, column = pair.split(".", 1)
        sql = (
            f'WITH gone AS (DELETE FROM "{table}" WHERE "{column}" = {literal} RETURNING 1) '
            "SELECT count(*) FROM gone"
        )
        with contextlib.suppress(ValueError):
            if int(run.sql_in(url, sql).stdout.strip() or 0):
                deleted.append((table, column))
    return deleted
