"""Throw-away storage for one check, named through environment variables.

Every learner program the checker starts (the CLI, the web server, the learner's own
tests) gets its data location from here, so a check never touches real data and two
programs given the same `Storage` share one database.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from checks.harness import process
from checks.harness.doors.storage import database
from checks.harness.doors.storage.sqlite import all_rows
from checks.harness.failure import CheckFailed, shown_json
from checks.harness.manifest import Manifest
from checks.harness.values import as_number, same_value
from checks.harness.workspace import Workspace

DATABASE_ENV = "DATABASE_URL"
OLD_DATA_ENV = "DATA_FILE"  # where a stage-1 program keeps its JSON file


@dataclass(frozen=True)
class Storage:
    data_env: str  # the manifest's cli.data_env
    data_file: Path  # the JSON file, or the SQLite file the database URL names
    old_data_file: Path  # where a stage-1 program would still write after moving on
    # Every record any check sent to this storage (through any door), to tell a record the
    # program made up or read from elsewhere from one it was given.
    records_sent: list[dict[str, str]] = field(default_factory=list, compare=False)
    # From stage 4: the check's own PostgreSQL database (a copy of the migrated template);
    # the list is one slot, replaced when the storage becomes a copy of another.
    database: list[str] = field(default_factory=list, compare=False)

    @classmethod
    def fresh(cls, workspace: Workspace, data_env: str) -> Storage:
        scratch = workspace.scratch("data")
        name = "data.db" if data_env == DATABASE_ENV else "data.json"
        postgres = [database.fresh()] if database.in_use() else []
        return cls(data_env, scratch / name, scratch / "old-data.json", database=postgres)

    @property
    def uses_database(self) -> bool:
        return self.data_env == DATABASE_ENV

    def env(self) -> dict[str, str]:
        """The manifest's variable, plus DATA_FILE to catch a program that still writes
        its old file after moving to a database."""
        if self.uses_database:
            if self.database:
                env = {DATABASE_ENV: self.database[0], OLD_DATA_ENV: str(self.old_data_file)}
                return env | database.program_env()
            return {
                DATABASE_ENV: f"sqlite:///{self.data_file}",
                OLD_DATA_ENV: str(self.old_data_file),
            }
        return {self.data_env: str(self.data_file)}

    def take_copy_of(self, other: Storage) -> None:
        """Make this (fresh) storage a byte-for-byte copy of `other`'s folder and records."""
        if other.database:
            self.database[:] = [database.copy_of(other.database[0])]
        source, target = other.data_file.parent, self.data_file.parent
        for path in source.iterdir():
            if path.is_file():
                copied = target / path.name
                shutil.copy2(path, copied)
                process.hand_over(copied)
        self.records_sent.extend(other.records_sent)

    def sent(self, record: dict[str, str]) -> None:
        self.records_sent.append(dict(record))

    def require_isolated(self, listed: list[dict[str, Any]], manifest: Manifest, ran: str) -> None:
        """Fail, saying why, when a listing holds a record nobody sent to this storage."""
        fields = manifest.fields

        def was_sent(record: dict[str, Any]) -> bool:
            return any(
                all(same_value(fields[k], v, record.get(k)) for k, v in sent.items() if k in fields)
                for sent in self.records_sent
            )

        foreign = [record for record in listed if not was_sent(record)]
        if foreign:
            raise CheckFailed(
                f"the listing holds {manifest.record} records this check never added: does "
                f"your program read {self.data_env}?",
                ran=ran,
                got=f"{len(foreign)} unknown record(s), e.g. {shown_json(foreign[0], 200)}",
                expected=f"only the records this check added, in the fresh storage that "
                f"{self.data_env} names",
                fix=f"read the location of your data from the environment variable "
                f"{self.data_env} every time the program starts (fall back to a default only "
                "when it is unset), and never from a path written in the code",
                step=self.step,
            )

    @property
    def step(self) -> str:
        """The check that grades "the program uses the storage it is given"."""
        return "02-layers/data-in-sqlite" if self.uses_database else "01-cli/uses-data-file"

    def rows(self) -> list[tuple[object, ...]]:
        """Every row the program stored, read without changing anything (databases only)."""
        if self.database:
            return database.all_rows(self.database[0])
        return all_rows(self.data_file) if self.uses_database and self.data_file.is_file() else []

    def stores(self, record: dict[str, str]) -> bool:
        """Whether a row of the database holds every value of `record` (databases only);
        numbers compare by value to the cent, as a person reads them."""
        return any(_holds(row, record) for row in self.rows())

    def holds_nothing(self) -> bool:
        """True only when certain that nothing is stored: no data file at all, an empty
        JSON array or object, a database whose every table is empty, or (stage 4) one
        whose tables hold as many rows as the template did. Anything else is left to the
        program's own listing (a file may hold a counter, a table a version)."""
        if self.database:  # a copy of the template, which holds the operator already
            return database.unchanged_since_template(self.database[0])
        if not self.data_file.exists():
            return True
        try:
            if self.uses_database:
                return not all_rows(self.data_file)
            return json.loads(self.data_file.read_text("utf-8")) in ([], {})
        except (OSError, ValueError, sqlite3.Error):
            return False

    def setup_line(self) -> str:
        """The same storage as a shell line a learner can paste: a fresh temp folder."""
        if self.database:
            return (
                f"export {DATABASE_ENV}=postgresql+psycopg://localhost/scratch  "
                "# an empty database; then: alembic upgrade head"
            )
        if self.uses_database:
            return f"export {DATABASE_ENV}=sqlite:///$(mktemp -d)/data.db"
        return f"export {self.data_env}=$(mktemp -d)/data.json"


def _holds(row: tuple[object, ...], record: dict[str, str]) -> bool:
    cells = {str(cell) for cell in row}
    numbers = {as_number(cell) for cell in row if not isinstance(cell, bytes)} - {None}
    for value in record.values():
        number = as_number(value)
        if value not in cells and not (number is not None and _close(number, numbers)):
            return False
    return True


def _close(number: Decimal, numbers: set[Decimal | None]) -> bool:
    cent = Decimal("0.01")
    return any(n is not None and n.quantize(cent) == number.quantize(cent) for n in numbers)
