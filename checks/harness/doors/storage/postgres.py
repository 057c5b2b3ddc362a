"""PostgreSQL for stage 4: which server a run uses, and a fresh database on it per run.

From stage 4 the learner's migrations, CLI, server and checks run on a real PostgreSQL:

1. the server a URL names (`--database-url`, or ROADMAP_DATABASE_URL), left running;
2. else a private throw-away cluster from the machine's binaries (`postgres_cluster.py`,
   from a template `postgres_binaries.py` keeps), stopped and deleted after the run;
3. else PostgresUnavailable: one line, saying how to install PostgreSQL or pass a URL.

Databases are made with the server's own psql, so the checker needs no database driver.
Each gets a login of its own where the server allows it: not a superuser, so the
learner's code can neither run programs on the server (COPY ... TO PROGRAM) nor reach
another check's database.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from checks.harness.doors.storage.postgres_binaries import (
    URL_HINT,
    PostgresUnavailable,
    find_binaries,
)
from checks.harness.doors.storage.postgres_cluster import Cluster

__all__ = [
    "URL_ENV",
    "Cluster",
    "ExistingServer",
    "PostgresUnavailable",
    "drop_database",
    "find_binaries",
    "fresh_database",
    "provide",
]

URL_ENV = "ROADMAP_DATABASE_URL"
SCHEMES = ("postgresql", "postgres", "postgresql+psycopg", "postgresql+psycopg2")
NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")  # needs no quoting, fits PostgreSQL's 63 bytes
CONNECT_SECONDS = "10"


@dataclass(frozen=True)
class ExistingServer:
    """A server the user named. The checker makes its databases there and drops them after;
    the server itself, and everything else on it, is left alone."""

    admin: str  # the URL given, in libpq's spelling: psql connects with it
    psql: Path
    creates_roles: bool  # else every database is the URL's user's, and so is its login

    @classmethod
    def connect(cls, url: str) -> ExistingServer:
        """Check that `url` reaches a server whose user may create databases."""
        parts = urlsplit(url)
        if parts.scheme not in SCHEMES:
            raise PostgresUnavailable(f"{_masked(url)} is not a PostgreSQL URL: pass {URL_HINT}")
        admin = urlunsplit(("postgresql", *parts[1:]))
        server = cls(admin, _client(), creates_roles=False)
        done = _psql(
            server,
            "SELECT rolsuper OR rolcreaterole, rolsuper OR rolcreatedb"
            " FROM pg_roles WHERE rolname = current_user",
        )
        if done.returncode != 0:
            raise PostgresUnavailable(
                f"could not reach PostgreSQL at {_masked(url)}: {_reason(done.stderr)}; "
                f"check that it runs and that the URL's user and password are right, or pass "
                f"another {URL_HINT}"
            )
        roles, _, databases = done.stdout.strip().partition("|")
        if databases != "t":
            user = unquote(parts.username or "") or "this user"
            raise PostgresUnavailable(
                f"{user} at {_masked(url)} may not create databases: grant it "
                f"(ALTER ROLE {user} CREATEDB), or pass another {URL_HINT}"
            )
        return cls(admin, server.psql, creates_roles=roles == "t")

    def learner_url(self, database: str, user: str | None, password: str | None) -> str:
        """The URL learner programs get: the server's host and port, `database`, and the
        given login, or the URL's own when the checker could not make one."""
        parts = urlsplit(self.admin)
        login, _, where = parts.netloc.rpartition("@")
        if user and password:
            login = f"{quote(user, safe='')}:{quote(password, safe='')}"
        netloc = f"{login}@{where}" if login else where
        return urlunsplit(("postgresql+psycopg", netloc, f"/{database}", parts.query, ""))

    def close(self) -> None:
        """Nothing to stop: the server is the user's."""


Postgres = Cluster | ExistingServer


def provide(url: str | None, folder: Path, uid: int | None = None) -> Postgres:
    """This run's PostgreSQL: the server `url` (or ROADMAP_DATABASE_URL) names, else a
    throw-away cluster in `folder`. Raises PostgresUnavailable (exit 2, one line)."""
    url = url or os.environ.get(URL_ENV)
    return ExistingServer.connect(url) if url else Cluster.start(folder, uid)


def fresh_database(server: Postgres | str, name: str) -> str:
    """Create the empty database `name` and return the SQLAlchemy URL learner programs
    get (postgresql+psycopg://). Where the server lets the checker create roles, the
    database has a login of its own, named alike, and only that login may connect."""
    server = _server(server)
    _require_name(name)
    if server.creates_roles:
        password = secrets.token_urlsafe(18)  # URL-safe: no quoting in SQL or in the URL
        commands = [
            f"CREATE ROLE {name} LOGIN PASSWORD '{password}'",
            f"GRANT {name} TO CURRENT_USER",  # OWNER needs it, unless superuser
            f"CREATE DATABASE {name} OWNER {name}",
            f"REVOKE ALL ON DATABASE {name} FROM PUBLIC",
        ]
        url = server.learner_url(name, name, password)
    else:
        commands, url = [f"CREATE DATABASE {name}"], server.learner_url(name, None, None)
    done = _psql(server, *commands)
    if done.returncode != 0:
        raise PostgresUnavailable(
            f"could not create the database {name}: {_reason(done.stderr)}; drop it, or "
            f"pass another {URL_HINT}"
        )
    return url


def drop_database(server: Postgres | str, name: str) -> None:
    """Drop `name` and its login, ending its connections first. Safe to call twice."""
    server = _server(server)
    _require_name(name)
    commands = [f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"]  # PostgreSQL 13 or newer
    if server.creates_roles:
        commands.append(f"DROP ROLE IF EXISTS {name}")
    done = _psql(server, *commands)
    if done.returncode != 0:
        raise PostgresUnavailable(
            f"could not drop the database {name}: {_reason(done.stderr)}; drop it by hand "
            f"(DROP DATABASE {name} WITH (FORCE))"
        )


def _server(server: Postgres | str) -> Postgres:
    return ExistingServer.connect(server) if isinstance(server, str) else server


def _require_name(name: str) -> None:
    if not NAME.fullmatch(name):
        raise ValueError(f"database name {name!r}: use lower-case letters, digits and _")


def _client() -> Path:
    """psql: beside the server binaries, else on PATH (a client-only install)."""
    binaries = find_binaries()
    if binaries is not None and (binaries / "psql").is_file():
        return binaries / "psql"
    found = shutil.which("psql")
    if found is None:
        raise PostgresUnavailable(
            "stage 4 reaches PostgreSQL with psql, which is not installed: install it with "
            "`sudo apt-get install postgresql-client` or `brew install libpq`"
        )
    return Path(found)


def _psql(server: Postgres, *commands: str) -> subprocess.CompletedProcess[str]:
    return run_sql(server.psql, server.admin, isinstance(server, Cluster), *commands)


def run_sql(
    psql: Path, admin: str, private: bool, *commands: str
) -> subprocess.CompletedProcess[str]:
    """Run SQL commands with `psql` as `admin`, each in its own transaction (CREATE
    DATABASE needs that); `private`: the checker's own cluster, which the caller's PG*
    settings (meant for their servers) must not reach."""
    argv = [str(psql), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", admin]
    env = dict(os.environ)
    if private:
        env = {k: v for k, v in env.items() if not k.startswith("PG")}
    env |= {"PGCONNECT_TIMEOUT": CONNECT_SECONDS, "PGAPPNAME": "backend-roadmap"}
    for command in commands:
        argv += ["-c", command]
    try:
        return subprocess.run(
            argv, env=env, capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return subprocess.CompletedProcess(argv, 1, "", f"psql: error: {error}")


def _reason(stderr: str) -> str:
    """psql's first line, without its prefix: what went wrong, in PostgreSQL's words."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()] or ["no answer"]
    return re.sub(r"^(psql: )?(error: )?", "", lines[0])


def _masked(url: str) -> str:
    """The URL for a message: its password replaced."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit((parts.scheme, netloc, *parts[2:]))
