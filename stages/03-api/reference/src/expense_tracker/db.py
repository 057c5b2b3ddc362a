"""How to connect to the database a URL names.

The URL comes from the settings (core/config.py), which read DATABASE_URL, for example
`sqlite:////home/me/expenses.db` (four slashes before an absolute path). Only db.py,
repository.py and unit_of_work.py import SQLAlchemy.
"""

from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from expense_tracker.errors import StorageError
from expense_tracker.repository import Base

DATABASE_ENV = "DATABASE_URL"


def connect(url: str) -> sessionmaker[Session]:
    """A session factory for the database at `url`, with every table created.

    Raises StorageError, with a message fit for the user, when the URL is malformed or the
    database cannot be opened (a missing driver, a file that is not a database, ...).
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StorageError(
            f"{DATABASE_ENV} is not a database URL; write it like sqlite:///expenses.db"
        ) from None
    shown = parsed.render_as_string(hide_password=True)  # never print a password
    try:
        _make_folder_for(parsed)
        engine = create_engine(parsed)
        # No migrations yet: create_all creates the tables that are missing and never
        # changes one that exists. Stage 4 brings Alembic, which can change a table that
        # already holds data.
        Base.metadata.create_all(engine)
    except (SQLAlchemyError, ImportError, OSError) as error:
        raise StorageError(f"cannot use the database {shown}: {reason(error)}") from None
    return sessionmaker(engine)


def reason(error: BaseException) -> str:
    """What went wrong in one line: the driver's own words, without the SQL SQLAlchemy
    appends to them."""
    original = getattr(error, "orig", None) or error
    lines = str(original).strip().splitlines()
    return lines[0] if lines else type(original).__name__


def _make_folder_for(url: URL) -> None:
    """SQLite creates a missing database file, but not the folder it goes in."""
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
