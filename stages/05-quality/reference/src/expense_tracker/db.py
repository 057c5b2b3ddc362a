"""How to connect to the database a URL names.

The URL comes from the settings (core/config.py), which read DATABASE_URL: for example
`sqlite:////home/me/expenses.db` (four slashes before an absolute path), or
`postgresql+psycopg://user:password@localhost:5432/expenses` on a PostgreSQL server.
Only db.py, repository.py, unit_of_work.py and the migrations import SQLAlchemy.

This module never creates a table: the migrations do (`alembic upgrade head`, see
migrations/). A program that finds its tables missing says so and stops.
"""

import logging
from pathlib import Path

from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from expense_tracker.errors import StorageError
from expense_tracker.repository import Base

DATABASE_ENV = "DATABASE_URL"
CONNECT_TIMEOUT = 5  # seconds: a database that does not answer by then counts as down

logger = logging.getLogger(__name__)


def make_engine(url: str) -> Engine:
    """An engine for the database at `url`; for SQLite, the file's folder is created.

    Raises StorageError, with a message fit for the user, when the URL is malformed or
    names a driver that is not installed.
    """
    parsed = _parse(url)
    try:
        _make_folder_for(parsed)
        # pool_pre_ping: a server restart closes the pooled connections; test each one
        # before use rather than fail the first request after the restart.
        # hide_parameters: an error's message shows the SQL but not the values sent with
        # it, which may be personal data; error messages end up in logs.
        return create_engine(
            parsed, pool_pre_ping=True, hide_parameters=True, connect_args=_connect_args(parsed)
        )
    except (SQLAlchemyError, ImportError, OSError) as error:
        raise StorageError(f"cannot use the database {_shown(parsed)}: {reason(error)}") from None


def connect(url: str) -> sessionmaker[Session]:
    """A session factory for the database at `url`, once it is known to hold our tables.

    Raises StorageError when the database cannot be reached or opened, and when its tables
    are missing, with the command that creates them.
    """
    engine = make_engine(url)
    try:
        missing = sorted(set(Base.metadata.tables) - set(inspect(engine).get_table_names()))
    except SQLAlchemyError as error:
        raise StorageError(
            f"cannot use the database {_shown(engine.url)}: {reason(error)}"
        ) from None
    if missing:
        raise StorageError(
            f"the database {_shown(engine.url)} is missing tables ({', '.join(missing)}): "
            "create them with `alembic upgrade head`, run in the project folder"
        )
    return sessionmaker(engine)


def ping(sessions: sessionmaker[Session]) -> bool:
    """Whether the database answers a trivial query now (the API's /health asks)."""
    try:
        with sessions() as session:
            session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        logger.warning("database unreachable", extra={"fields": {"reason": reason(error)}})
        return False
    return True


def reason(error: BaseException) -> str:
    """What went wrong in one line: the driver's own words, without the SQL SQLAlchemy
    appends to them."""
    original = getattr(error, "orig", None) or error
    lines = str(original).strip().splitlines()
    return lines[0] if lines else type(original).__name__


def _parse(url: str) -> URL:
    try:
        return make_url(url)
    except ArgumentError:
        raise StorageError(
            f"{DATABASE_ENV} is not a database URL; write it like sqlite:///expenses.db "
            "or postgresql+psycopg://user:password@localhost/expenses"
        ) from None


def _shown(url: URL) -> str:
    return url.render_as_string(hide_password=True)  # never print a password


def _connect_args(url: URL) -> dict[str, object]:
    """Without a timeout, connecting to a server that never answers waits for minutes."""
    return {"connect_timeout": CONNECT_TIMEOUT} if url.get_backend_name() == "postgresql" else {}


def _make_folder_for(url: URL) -> None:
    """SQLite creates a missing database file, but not the folder it goes in."""
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
