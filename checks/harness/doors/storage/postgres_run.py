"""One run's databases on its PostgreSQL: made from a migrated template, dropped together.

A stage-4 run needs many databases: one the migrations build once (the template), and a
fresh copy of it for every check that needs storage of its own. `CREATE DATABASE ...
TEMPLATE` copies a database in milliseconds, where running the learner's migrations again
would start Alembic for every check. A copy keeps its tables' owner, so all the run's
databases belong to one login made for the run (not a superuser, and where the server
lets the checker make logins, not the caller's either); and they all share a name prefix,
so the end of the run drops every one of them, whatever stopped half-way.
"""

from __future__ import annotations

import json
import secrets
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from checks.harness.doors.storage.postgres import (
    Cluster,
    Postgres,
    PostgresUnavailable,
    _psql,
    _reason,
    _require_name,
    run_sql,
)
from checks.harness.doors.storage.postgres_binaries import URL_HINT


@dataclass(frozen=True)
class RunDatabases:
    psql: str  # the server's psql, and how it reaches the server as its administrator
    admin: str
    prefix: str  # every database of the run: roadmap_<run>_...
    login: str | None  # the run's login, or None: the URL's own user owns everything
    url: str  # a learner URL with {database} where the database's name goes
    private: bool  # the checker's own cluster, not a server the user named

    @classmethod
    def open(cls, server: Postgres, run_id: str) -> RunDatabases:
        """Make the run's login (where the server allows it) and return the run's view."""
        prefix = f"roadmap_{run_id}_"
        _require_name(prefix + "x")
        private = isinstance(server, Cluster)
        if not server.creates_roles:
            url = _url(server, None, None)
            return cls(str(server.psql), server.admin, prefix, None, url, private)
        login, password = prefix.rstrip("_"), secrets.token_urlsafe(18)
        # The caller's membership lets it give the run's databases to that login (OWNER):
        # a superuser has it anyway, a user with CREATEROLE only once it is granted.
        done = _psql(
            server,
            f"CREATE ROLE {login} LOGIN PASSWORD '{password}'",
            f"GRANT {login} TO CURRENT_USER",
        )
        if done.returncode != 0:
            raise PostgresUnavailable(
                f"could not make the run's login {login}: {_reason(done.stderr)}; pass "
                f"another {URL_HINT}"
            )
        url = _url(server, login, password)
        return cls(str(server.psql), server.admin, prefix, login, url, private)

    def create(self, name: str, template: str | None = None) -> str:
        """Make the database prefix+`name` (a copy of prefix+`template` when given) and
        return its learner URL. The template must have no open connection."""
        database = self.prefix + name
        _require_name(database)
        owner = f" OWNER {self.login}" if self.login else ""
        copy = f" TEMPLATE {self.prefix}{template}" if template else ""
        done = self._sql(
            f"CREATE DATABASE {database}{owner}{copy}",
            f"REVOKE ALL ON DATABASE {database} FROM PUBLIC",  # only its owner connects
        )
        if done.returncode != 0:
            raise PostgresUnavailable(
                f"could not create the database {database}: {_reason(done.stderr)}"
            )
        return self.url.format(database=database)

    def url_of(self, name: str) -> str:
        """The learner URL of the run's database prefix+`name`, made earlier."""
        return self.url.format(database=self.prefix + name)

    def tables(self, url: str) -> set[str]:
        """The tables of the database at `url`, as its administrator sees them."""
        return set(self.sql_in(url, TABLES_SQL).stdout.split())

    def row_counts(self, url: str) -> dict[str, int]:
        """How many rows each table of the database at `url` holds, in one query."""
        names = sorted(self.tables(url))
        if not names:
            return {}
        counts = " UNION ALL ".join(f"SELECT '{n}', count(*) FROM \"{n}\"" for n in names)
        answered = self.sql_in(url, f"SELECT json_object_agg(t, n) FROM ({counts}) AS c(t, n)")
        try:
            found = json.loads(answered.stdout or "{}")
        except ValueError:
            return {}
        return {str(k): int(v) for k, v in found.items()} if isinstance(found, dict) else {}

    def cut_off(self, url: str, cut: bool = True) -> None:
        """Make the database at `url` unreachable (`cut`) or reachable again: no new
        connections to that one database, and its sessions ended; the server and the run's
        other databases go on as before."""
        name = name_of(url)
        _require_name(name)
        commands = [f"ALTER DATABASE {name} ALLOW_CONNECTIONS {'false' if cut else 'true'}"]
        if cut:
            commands.append(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"
            )
        self._sql(*commands)

    def drop_all(self) -> None:
        """Drop every database of the run, then its login. Safe to call twice."""
        listed = self._sql(f"SELECT datname FROM pg_database WHERE datname LIKE '{self.prefix}%'")
        names = [line.strip() for line in listed.stdout.splitlines() if line.strip()]
        commands = [f"DROP DATABASE IF EXISTS {name} WITH (FORCE)" for name in names]
        if self.login:
            commands.append(f"DROP ROLE IF EXISTS {self.login}")
        if commands:
            self._sql(*commands)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> RunDatabases:
        return cls(**json.loads(text))

    def sql_in(self, url: str, *commands: str) -> subprocess.CompletedProcess[str]:
        """Run SQL as the administrator inside the database the learner URL `url` names:
        the checker reads and changes what the learner's login might hide from itself."""
        parts = urlsplit(self.admin)
        inside = urlunsplit((parts.scheme, parts.netloc, f"/{name_of(url)}", parts.query, ""))
        return run_sql(Path(self.psql), inside, self.private, *commands)

    def _sql(self, *commands: str) -> subprocess.CompletedProcess[str]:
        return run_sql(Path(self.psql), self.admin, self.private, *commands)


TABLES_SQL = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"


def name_of(url: str) -> str:
    """The database a URL names: its path, without a query such as ?sslmode=require."""
    return urlsplit(url).path.lstrip("/")


def _url(server: Postgres, login: str | None, password: str | None) -> str:
    return server.learner_url("{database}", login, password)
