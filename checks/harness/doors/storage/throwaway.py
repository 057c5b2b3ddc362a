"""Throw-away storage for one check, named through environment variables.

Every learner program the checker starts (the CLI, the web server, the learner's own
tests) gets its data location from here, and a HOME and TMPDIR (its /tmp too) of the
check's own, so a check never touches real data or another check's, and two programs
given the same `Storage` share one database.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import sqlite3
import stat
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from checks.harness import environment, process
from checks.harness.doors.storage import database, template
from checks.harness.doors.storage.sqlite import all_rows
from checks.harness.environment import learner_url, program_env, with_database
from checks.harness.failure import CheckFailed, shown_json
from checks.harness.manifest import Manifest
from checks.harness.values import as_number, same_value
from checks.harness.workspace import Workspace

DATABASE_ENV = "DATABASE_URL"
OLD_DATA_ENV = "DATA_FILE"  # where a stage-1 program keeps its JSON file
OWN_FOLDERS = ("home", "tmp")  # each storage's HOME and TMPDIR


@dataclass(frozen=True)
class Storage:
    manifest: Manifest = field(repr=False, compare=False)
    data_file: Path  # the JSON file, or the SQLite file the database URL names
    old_data_file: Path  # where a stage-1 program would still write after moving on
    # Every record any check sent to this storage (through any door), to tell a record the
    # program made up or read from elsewhere from one it was given.
    records_sent: list[dict[str, str]] = field(default_factory=list, compare=False)
    # From stage 4: the check's own PostgreSQL database (a copy of the migrated template);
    # the list is one slot, replaced when the storage becomes a copy of another.
    database: list[str] = field(default_factory=list, compare=False)

    @classmethod
    def fresh(cls, workspace: Workspace, manifest: Manifest) -> Storage:
        scratch = workspace.scratch("data")
        _own_folders(scratch)  # a program that keeps its records in ~ or /tmp stays apart
        name = "data.db" if manifest.data_env == manifest.database.url_env else "data.json"
        postgres = [database.fresh()] if database.in_use() else []
        return cls(manifest, scratch / name, scratch / "old-data.json", database=postgres)

    @staticmethod
    def apart(workspace: Workspace) -> dict[str, str]:
        """A HOME and a TMPDIR of their own, for a program given no storage of the run's
        (its database is elsewhere: a closed port, for tests that must not need one)."""
        scratch = workspace.scratch("apart")
        _own_folders(scratch)
        return {"HOME": str(scratch / "home"), "TMPDIR": str(scratch / "tmp")}

    @property
    def data_env(self) -> str:
        """The variable the program reads its data location from (the manifest's)."""
        return self.manifest.data_env

    @property
    def uses_database(self) -> bool:
        return self.data_env == self.manifest.database.url_env

    @property
    def url(self) -> str | None:
        """The database URL this storage hands out, as the learner's code expects it."""
        if self.database:
            return learner_url(self.database[0], self.manifest)
        return f"sqlite:///{self.data_file}" if self.uses_database else None

    @property
    def home(self) -> Path:
        return self.data_file.parent / "home"

    @property
    def tmp(self) -> Path:
        """The programs' TMPDIR, and their private /tmp (process.private_tmp)."""
        return self.data_file.parent / "tmp"

    def env(self) -> dict[str, str]:
        """The manifest's variable (or the database's, whole or in parts), plus DATA_FILE
        to catch a program that still writes its old file after moving to a database, and
        what every program of the run gets (environment.py); a HOME and TMPDIR of this
        storage's own."""
        url = self.url
        if url is None:
            env = {self.data_env: str(self.data_file)} | program_env(self.manifest)
        else:
            env = {OLD_DATA_ENV: str(self.old_data_file)} | with_database(self.manifest, url)
        auth = self.manifest.auth
        if self.database and auth is not None and auth.cli_user_env:
            made = database.operator()  # the CLI acts as the operator: its failure is ours
            if made.name:
                env[auth.cli_user_env] = made.name
        return env | {"HOME": str(self.home), "TMPDIR": str(self.tmp)}

    def to_data(self) -> dict[str, Any]:
        """The storage as JSON-able data (the manifest travels separately)."""
        data = {k: v for k, v in asdict(self).items() if k != "manifest"}
        return data | {"data_file": str(self.data_file), "old_data_file": str(self.old_data_file)}

    @classmethod
    def from_data(cls, manifest: Manifest, data: dict[str, Any]) -> Storage:
        paths = {k: Path(data[k]) for k in ("data_file", "old_data_file")}
        return cls(manifest, **paths, records_sent=data["records_sent"], database=data["database"])

    def take_copy_of(self, other: Storage) -> None:
        """Make this (fresh) storage a byte-for-byte copy of `other`'s folder and records,
        HOME and TMPDIR included: what a program keeps there, it finds in every copy."""
        if other.database:
            self.database[:] = [database.copy_of(other.database[0])]
        target = self.data_file.parent
        # Links stay links: followed as root, one could copy a file only root may read.
        shutil.copytree(
            other.data_file.parent, target, symlinks=True, ignore=_special, dirs_exist_ok=True
        )
        process.hand_over_all(target)
        self.records_sent.extend(other.records_sent)

    def sent(self, record: dict[str, str]) -> None:
        self.records_sent.append(dict(record))

    def require_isolated(
        self, listed: list[dict[str, Any]], manifest: Manifest, ran: str, step: str | None = None
    ) -> None:
        """Fail, saying why, when a listing holds a record nobody sent to this storage;
        `step` is the check that grades "this door uses the storage it is given"."""
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
                step=step or self.step,
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

    def setup_lines(self) -> tuple[str, ...]:
        """The same storage, and what every program of the run gets, as lines a learner
        pastes into a fresh shell: the secret, then a fresh temp folder for a file (or a
        SQLite database), or from stage 4 a scratch database on the learner's own
        PostgreSQL, migrated, with the operator the CLI acts as."""
        manifest = self.manifest
        lines = environment.secret_lines(manifest)
        variable = manifest.database.url_env
        if self.database:
            lines += self._postgres_lines()
        elif self.uses_database:
            lines.append(f"export {variable}=sqlite:///$(mktemp -d)/data.db")
        else:
            lines.append(f"export {self.data_env}=$(mktemp -d)/data.json")
        lines += environment.extra_lines(manifest, variable if self.url else None)
        if self.database:
            lines += [shlex.join(manifest.migrations.upgrade), *self._operator_lines()]
        return tuple(lines)

    @property
    def scratch_database(self) -> str:
        """The database the pasted lines make on the learner's PostgreSQL."""
        return re.sub(r"\W+", "_", self.manifest.project.lower()).strip("_") + "_try"

    def sql_line(self, sql: str) -> str:
        """`sql` as a line a learner pastes, run on the scratch database."""
        quoted = f'"{sql}"' if not re.search(r'["$`\\!]', sql) else shlex.quote(sql)
        return f"psql -d {self.scratch_database} -c {quoted}"

    def _postgres_lines(self) -> list[str]:
        name, manifest = self.scratch_database, self.manifest
        url = f"{manifest.migrations.scheme}:///{name}"  # the host, user...: libpq's PG*
        parts = {
            "user": '"${PGUSER:-$USER}"',
            "password": '"${PGPASSWORD:-}"',
            "host": '"${PGHOST:-localhost}"',
            "port": '"${PGPORT:-5432}"',
            "name": name,
        }
        exported = [f"{manifest.database.url_env}={url}"]
        exported += [f"{variable}={parts[part]}" for part, variable in manifest.database.parts]
        return [
            f"dropdb --if-exists --force {name} && createdb {name}  # on the PostgreSQL "
            "psql reaches (PGHOST, PGUSER, PGPASSWORD)",
            "export " + " ".join(exported),
        ]

    def _operator_lines(self) -> list[str]:
        """The admin the CLI acts as and the API checks log in as, made as the checker
        made them (the password is a throw-away one the checker chose)."""
        auth = self.manifest.auth
        if auth is None or not auth.makes_admins:
            return []
        try:
            made = database.operator()
        except CheckFailed:  # the check that grades it says why; this one stands without
            return []
        if not made.name:
            return []
        lines = [shlex.join(template.admin_command(self.manifest, made.name, made.password))]
        if auth.cli_user_env:
            lines.append(f"export {auth.cli_user_env}={shlex.quote(made.name)}")
        return lines


def _special(folder: str, names: list[str]) -> list[str]:
    """Pipes, sockets and devices: nothing a copy of stored data holds."""
    modes = {name: os.lstat(os.path.join(folder, name)).st_mode for name in names}
    kept = (stat.S_ISREG, stat.S_ISDIR, stat.S_ISLNK)
    return [name for name, mode in modes.items() if not any(kind(mode) for kind in kept)]


def _own_folders(scratch: Path) -> None:
    """A HOME and a TMPDIR in `scratch`, the learner's user's."""
    for own in OWN_FOLDERS:
        (scratch / own).mkdir()
        process.hand_over(scratch / own)


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
