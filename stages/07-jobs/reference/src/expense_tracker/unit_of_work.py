"""The unit of work on SQLAlchemy: one Session, one transaction, per use case.

`with uow:` opens a Session, `uow.commit()` keeps the changes, and leaving the block any
other way (an exception, or simply no commit) rolls them back.

A database that does not answer (down, restarting, refusing connections, no connection
free in time) leaves as a DatabaseUnavailableError: not the caller's fault, and worth a
retry. Any other database error is a bug in our code or our schema (a missing table, a
value the rules should have refused), and leaves unchanged, to be logged and fixed: it
must not be dressed up as "try again later".
"""

from types import TracebackType
from typing import Self

from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm import Session, sessionmaker

from expense_tracker.db import reason
from expense_tracker.errors import DatabaseUnavailableError
from expense_tracker.repository import (
    SqlAlchemyExpenseRepository,
    SqlAlchemyJobRepository,
    SqlAlchemyUserRepository,
)


class SqlAlchemyUnitOfWork:
    """The services' UnitOfWork. It can be entered again after it is left, each time with
    a new Session: one object serves every use case a command (or a request) runs."""

    users: SqlAlchemyUserRepository
    expenses: SqlAlchemyExpenseRepository
    jobs: SqlAlchemyJobRepository

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self.session_factory = session_factory

    def __enter__(self) -> Self:
        self.session = self.session_factory()
        self.users = SqlAlchemyUserRepository(self.session)
        self.expenses = SqlAlchemyExpenseRepository(self.session)
        self.jobs = SqlAlchemyJobRepository(self.session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            self.session.rollback()  # after a commit there is nothing left to roll back
        finally:
            self.session.close()
        # OperationalError is the driver's "the connection failed", on PostgreSQL. (SQLite
        # uses it for more, "no such table" too, but SQLite is for trying out.)
        if isinstance(exc, OperationalError | PoolTimeoutError):
            raise DatabaseUnavailableError(
                f"the database is unavailable, try again later: {reason(exc)}"
            ) from exc

    def commit(self) -> None:
        self.session.commit()
