"""The composition root: the one place that decides what the program's storage is.

The command line and the web API ask here for units of work and hand them to the
services. None of them imports SQLAlchemy; swapping the database, or using a fake in a
test, changes this file and no other.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from expense_tracker.core.config import get_settings
from expense_tracker.db import connect, ping
from expense_tracker.services import UnitOfWork
from expense_tracker.unit_of_work import SqlAlchemyUnitOfWork


@dataclass(frozen=True)
class Database:
    """What a front end needs of the database: a new unit of work per use case, and a
    quick "do you answer?" for the API's /health."""

    unit_of_work: Callable[[], UnitOfWork]
    is_up: Callable[[], bool]


def open_database(database_url: str) -> Database:
    """Connect once (an engine holds a pool of connections) and check the tables are
    there; the API keeps the result for its whole life."""
    sessions = connect(database_url)
    return Database(
        unit_of_work=partial(SqlAlchemyUnitOfWork, sessions), is_up=partial(ping, sessions)
    )


def unit_of_work() -> UnitOfWork:
    """A unit of work on the database the settings name (for the CLI, which runs one
    command and exits). Its tables must be there already: the migrations make them."""
    return open_database(get_settings().require_database_url()).unit_of_work()
