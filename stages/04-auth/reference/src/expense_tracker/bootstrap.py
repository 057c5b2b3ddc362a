"""The composition root: the one place that decides what the program's storage is.

The command line and the web API ask here for units of work and hand them to the
services. None of them imports SQLAlchemy; swapping the database, or using a fake in a
test, changes this file and no other.
"""

from collections.abc import Callable
from functools import partial

from expense_tracker.core.config import get_settings
from expense_tracker.db import connect
from expense_tracker.services import UnitOfWork
from expense_tracker.unit_of_work import SqlAlchemyUnitOfWork


def unit_of_work_factory(database_url: str) -> Callable[[], UnitOfWork]:
    """Connect once (an engine holds a pool of connections); each call of the result is a
    new unit of work on that database. The API keeps one factory for its whole life."""
    return partial(SqlAlchemyUnitOfWork, connect(database_url))


def unit_of_work() -> UnitOfWork:
    """A unit of work on the database the settings name (for the CLI, which runs one
    command and exits). Its tables must be there already: the migrations make them."""
    return unit_of_work_factory(get_settings().database_url)()
