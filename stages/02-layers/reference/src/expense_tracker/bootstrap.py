"""The composition root: the one place that decides what the program's storage is.

The command line asks here for a unit of work and hands it to the services. Neither of
them imports SQLAlchemy; swapping the database, or using a fake in a test, changes this
file and no other.
"""

from expense_tracker.db import connect, database_url
from expense_tracker.services import UnitOfWork
from expense_tracker.unit_of_work import SqlAlchemyUnitOfWork


def unit_of_work() -> UnitOfWork:
    """A unit of work on the database DATABASE_URL names, its tables ready."""
    return SqlAlchemyUnitOfWork(connect(database_url()))
