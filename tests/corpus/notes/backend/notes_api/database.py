"""The engine, built once from the settings, and a unit of work per request or command."""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session

from notes_api.repository import SqlStore
from notes_api.settings import database_settings


@lru_cache
def engine() -> Engine:
    return create_engine(database_settings().url, pool_pre_ping=True)


@contextmanager
def unit_of_work(bind: Engine | None = None) -> Iterator[SqlStore]:
    """A store on a session of its own; what is not committed is rolled back."""
    with Session(bind or engine(), expire_on_commit=False) as session:
        yield SqlStore(session)
