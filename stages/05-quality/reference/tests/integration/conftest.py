"""A real database for the integration tests, without touching the data already in it.

They run on the database DATABASE_URL names when pytest starts, the way the app would
(CI points it at a PostgreSQL service). Each test gets a schema of its own in that
database, made for it and dropped after it, so a database that holds your real data is
safe, and tests cannot see each other's rows. A SQLite URL gets a fresh file per test.
Without DATABASE_URL these tests are skipped: the unit and API tests need no database.

The schema reaches every connection through the URL (`?options=-csearch_path=...`), so
the CLI, Alembic and the app work in it as they would in the real one.
"""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import make_url, text

from expense_tracker.db import make_engine
from expense_tracker.repository import Base

# Read when pytest loads this file, before the root conftest's `environment` fixture
# points DATABASE_URL at nothing for each test.
SERVER_URL = os.environ.get("DATABASE_URL")
HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Without a database, skip this whole folder, with one reason for all of it."""
    if not SERVER_URL:
        skip = pytest.mark.skip(reason="DATABASE_URL is not set: these tests need a database")
        for item in items:
            if HERE in item.path.parents:
                item.add_marker(skip)


@pytest.fixture
def empty_database_url(tmp_path: Path) -> Iterator[str]:
    """A URL for an empty database of this test's own."""
    assert SERVER_URL is not None  # the tests are skipped without it
    url = make_url(SERVER_URL)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    schema = f"test_{uuid.uuid4().hex[:12]}"
    server = make_engine(SERVER_URL)
    with server.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )
    with server.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    server.dispose()


@pytest.fixture
def database_url(empty_database_url: str) -> str:
    """A database with our tables in it, empty.

    The tables come from `Base.metadata.create_all`, not from running the migrations: it
    is one quick step, and test_migrations.py proves the migrations build the very same
    tables (`alembic check` finds no difference), so the two cannot drift apart unseen.
    """
    engine = make_engine(empty_database_url)
    Base.metadata.create_all(engine)
    engine.dispose()
    return empty_database_url
