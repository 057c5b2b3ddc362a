"""Users, expenses and jobs in a SQL database, through the SQLAlchemy 2.0 ORM.

`UserRow`, `ExpenseRow` and `JobRow` are how they are stored: rows of the `users`,
`expenses` and `jobs` tables. `User`, `Expense` and `Job` (in models.py) are what the rest
of the program works with. The repositories turn one into the other, so no row ever leaves
this module and the services never see SQLAlchemy.

These classes describe the tables the code expects; the migrations in migrations/versions
create them in a real database, and `alembic check` tells when the two differ.
"""

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    MetaData,
    Numeric,
    Select,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
    select,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from expense_tracker.errors import ConflictError
from expense_tracker.models import QUEUED, Expense, Job, User

# Every constraint and index gets a name made from these patterns, the same on every
# database. A later migration that changes one must name it, and SQLite keeps no name it
# was not given.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Every table of the program; `Base.metadata` is what Alembic compares with the
    database (migrations/env.py), and what the tests create their tables from."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UserRow(Base):
    __tablename__ = "users"
    # AUTOINCREMENT (see ExpenseRow) matters even more here: a token names its user by id,
    # so a reused id would let a deleted user's token log in as whoever got the id next.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    # UNIQUE in the database, not only checked in Python: two people registering the same
    # name at the same moment would both pass a check, and only one passes the constraint.
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(Text)
    # server_default: a user added by hand in SQL is not an admin either.
    is_admin: Mapped[bool] = mapped_column(default=False, server_default=false())

    def to_domain(self) -> User:
        return User(
            id=self.id,
            username=self.username,
            password_hash=self.password_hash,
            is_admin=self.is_admin,
        )


class ExpenseRow(Base):
    __tablename__ = "expenses"
    # AUTOINCREMENT makes SQLite remember the highest id it ever gave out, so an id is never
    # reused, not even after the newest expense is deleted. Without it SQLite would give
    # the next expense max(id) + 1, and `show 3` could show a different expense from the
    # one you deleted yesterday. PostgreSQL never reuses an id anyway.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed: nearly every query asks for one owner's expenses.
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # Numeric(10, 2): up to 99,999,999.99, exact in PostgreSQL. SQLite has no decimal type
    # and keeps a float; SQLAlchemy rounds it back to 2 places on the way out, which is
    # exact at this size. Totals are added up in Python, with Decimal, never in SQL.
    amount: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    category: Mapped[str]
    note: Mapped[str] = mapped_column(Text, default="")

    def to_domain(self) -> Expense:
        return Expense(
            id=self.id,
            owner_id=self.owner_id,
            amount=self.amount,
            category=self.category,
            note=self.note,
        )


class JobRow(Base):
    """A job and its state: the queue the workers take work from (jobs/queue.py).

    A worker that takes a job sets `lease_until`, and pushes it forward while it works; a
    `running` job whose lease has passed belongs to a worker that died, and another worker
    takes it again. `attempts` counts how often that happened.
    """

    __tablename__ = "jobs"
    # One job per key and user: a retried request finds the job its first try made.
    __table_args__ = (UniqueConstraint("owner_id", "idempotency_key"),)

    # A random id, not 1, 2, 3: job ids appear in URLs, and say nothing of how many exist.
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Indexed: the workers ask "which jobs are queued?" every half second.
    status: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    idempotency_key: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def to_domain(self) -> Job:
        return Job(
            id=self.id,
            owner_id=self.owner_id,
            kind=self.kind,
            payload=dict(self.payload),
            status=self.status,
            attempts=self.attempts,
            created_at=aware(self.created_at),
            started_at=aware(self.started_at) if self.started_at else None,
            finished_at=aware(self.finished_at) if self.finished_at else None,
            result=self.result,
            error=self.error,
        )


def now() -> datetime:
    """The time, in UTC: every timestamp of ours is one."""
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """SQLite forgets a timestamp's time zone; ours are all UTC, so it is put back."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class SqlAlchemyUserRepository:
    """The services' UserRepository on one Session. Like the expenses', it never commits."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, username: str, password_hash: str, is_admin: bool) -> User:
        taken = ConflictError(f"the username {username!r} is taken; choose another")
        # Ask first: on PostgreSQL a failed INSERT still uses up an id, and logs an error.
        if self.by_username(username) is not None:
            raise taken
        row = UserRow(username=username, password_hash=password_hash, is_admin=is_admin)
        self.session.add(row)
        try:
            self.session.flush()
        except IntegrityError:
            # Someone took the name between our question and our INSERT: the UNIQUE
            # constraint settles the race. The unit of work rolls the transaction back.
            raise taken from None
        return row.to_domain()

    def get(self, user_id: int) -> User | None:
        row = self.session.get(UserRow, user_id)
        return row.to_domain() if row is not None else None

    def by_username(self, username: str) -> User | None:
        row = self.session.scalar(select(UserRow).where(UserRow.username == username))
        return row.to_domain() if row is not None else None

    def all(self) -> list[User]:
        rows = self.session.scalars(select(UserRow).order_by(UserRow.id))
        return [row.to_domain() for row in rows]


class SqlAlchemyExpenseRepository:
    """The services' ExpenseRepository on one Session. It never commits: the unit of work
    that owns the Session decides when a change is kept.

    `owner_id=None` means every owner's expenses. It has no default on purpose: each
    caller says whose expenses it wants, so forgetting to filter cannot happen silently.
    """

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, owner_id: int, amount: Decimal, category: str, note: str) -> Expense:
        row = ExpenseRow(owner_id=owner_id, amount=amount, category=category, note=note)
        self.session.add(row)
        self.session.flush()  # send the INSERT now, so the database assigns the id
        return row.to_domain()

    def get(self, expense_id: int) -> Expense | None:
        row = self.session.get(ExpenseRow, expense_id)
        return row.to_domain() if row is not None else None

    def all(self, *, owner_id: int | None) -> list[Expense]:
        query = _owned_by(select(ExpenseRow), owner_id).order_by(ExpenseRow.id)
        return [row.to_domain() for row in self.session.scalars(query)]

    def slice(self, limit: int, offset: int, *, owner_id: int | None) -> list[Expense]:
        # ORDER BY id makes pages stable: without it SQL may return rows in any order, and
        # the same expense could show up on two pages, or on none.
        query = _owned_by(select(ExpenseRow), owner_id).order_by(ExpenseRow.id)
        rows = self.session.scalars(query.limit(limit).offset(offset))
        return [row.to_domain() for row in rows]

    def count(self, *, owner_id: int | None) -> int:
        query = _owned_by(select(func.count()).select_from(ExpenseRow), owner_id)
        return self.session.scalar(query) or 0

    def update(self, expense: Expense) -> None:
        row = self.session.get(ExpenseRow, expense.id)
        if row is not None:
            row.amount, row.category, row.note = expense.amount, expense.category, expense.note

    def delete(self, expense_id: int) -> None:
        row = self.session.get(ExpenseRow, expense_id)
        if row is not None:
            self.session.delete(row)


class SqlAlchemyJobRepository:
    """The services' JobRepository on one Session: what the API does with jobs. What the
    workers do with them (take one, keep it, record its outcome) is in jobs/queue.py."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self, owner_id: int, kind: str, payload: dict[str, Any], idempotency_key: str | None
    ) -> Job:
        if idempotency_key is not None:
            query = select(JobRow).where(
                JobRow.owner_id == owner_id, JobRow.idempotency_key == idempotency_key
            )
            existing = self.session.scalar(query)
            if existing is not None:
                return existing.to_domain()
        row = JobRow(
            owner_id=owner_id,
            kind=kind,
            payload=payload,
            status=QUEUED,
            attempts=0,
            idempotency_key=idempotency_key,
            created_at=now(),
        )
        self.session.add(row)
        try:
            self.session.flush()
        except IntegrityError:
            # The same key in two requests at the same moment: the UNIQUE constraint lets
            # one in. The other client asks again, and then gets the job the first made.
            raise ConflictError(
                "a request with this Idempotency-Key is being handled; send it again"
            ) from None
        return row.to_domain()

    def get(self, job_id: uuid.UUID) -> Job | None:
        row = self.session.get(JobRow, job_id)
        return row.to_domain() if row is not None else None


def _owned_by(query: Select[Any], owner_id: int | None) -> Select[Any]:
    return query if owner_id is None else query.where(ExpenseRow.owner_id == owner_id)
