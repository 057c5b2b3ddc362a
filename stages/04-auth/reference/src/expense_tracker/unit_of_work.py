"""The unit of work on SQLAlchemy: one Session, one transaction, per use case.

`with uow:` opens a Session, `uow.commit()` keeps the changes, and leaving the block any
other way (an exception, or simply no commit) rolls them back. A database error leaves as
a StorageError, so the layers above never have to catch a SQLAlchemy exception.
"""

from types import TracebackType
from typing import Self

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from expense_tracker.db import reason
from expense_tracker.errors import StorageError
from expense_tracker.repository import SqlAlchemyExpenseRepository, SqlAlchemyUserRepository


class SqlAlchemyUnitOfWork:
    """The services' UnitOfWork. It can be entered again after it is left, each time with
    a new Session: one object serves every use case a command (or a request) runs."""

    users: SqlAlchemyUserRepository
    expenses: SqlAlchemyExpenseRepository

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self.session_factory = session_factory

    def __enter__(self) -> Self:
        self.session = self.session_factory()
        self.users = SqlAlchemyUserRepository(self.session)
        self.expenses = SqlAlchemyExpenseRepository(self.session)
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
        if isinstance(exc, SQLAlchemyError):
            raise StorageError(f"the database refused the change: {reason(exc)}") from exc

    def commit(self) -> None:
        self.session.commit()
