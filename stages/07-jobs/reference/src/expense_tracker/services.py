"""The service layer: what the program does, whoever asks (the CLI or the web API).

Each function is one use case. It checks what it is given against the domain's rules, does
its work inside one unit of work (one transaction), and raises a domain error when the
request cannot be done; it never prints or exits, so any front end can decide how to show
the error. It knows storage only through the protocols below: the CLI and the API pass in
the SQLAlchemy unit of work, the tests pass a fake that keeps everything in dicts.

Who may do what is decided here too. Every expense use case takes `actor`, the user on
whose behalf it runs (the API's logged-in user, the CLI's $EXPENSE_TRACKER_USER), and
applies one rule: an admin may see and change every expense, anyone else only their own.
Front ends never filter by owner themselves, so a new route or command cannot forget to.

Slow work waits for a worker: `start_import` only records a job; the worker (jobs/) calls
`import_expenses` in the transaction that also records the job's outcome.
"""

import uuid
from dataclasses import replace
from decimal import Decimal
from types import TracebackType
from typing import Any, Protocol, Self

from expense_tracker import summary
from expense_tracker.errors import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
)
from expense_tracker.models import (
    IMPORT,
    Expense,
    Job,
    Page,
    User,
    is_valid_username,
    parse_amount,
    parse_category,
    parse_import,
    parse_note,
    parse_password,
    parse_username,
)
from expense_tracker.passwords import hash_password, verify_password

# One message for an unknown username and for a wrong password: a different answer for
# each would tell anyone which usernames exist.
LOGIN_FAILED = "incorrect username or password"


class UserRepository(Protocol):
    """Where users are kept. `add` raises ConflictError when the username is taken."""

    def add(self, username: str, password_hash: str, is_admin: bool) -> User: ...

    def get(self, user_id: int) -> User | None: ...

    def by_username(self, username: str) -> User | None: ...

    def all(self) -> list[User]: ...


class ExpenseRepository(Protocol):
    """Where expenses are kept. `get` answers None for an unknown id: deciding that this is
    an error is a rule, and rules live here, not in the storage. `owner_id=None` means
    every owner's expenses."""

    def add(self, owner_id: int, amount: Decimal, category: str, note: str) -> Expense: ...

    def get(self, expense_id: int) -> Expense | None: ...

    def all(self, *, owner_id: int | None) -> list[Expense]: ...

    def slice(self, limit: int, offset: int, *, owner_id: int | None) -> list[Expense]: ...

    def count(self, *, owner_id: int | None) -> int: ...

    def update(self, expense: Expense) -> None: ...

    def delete(self, expense_id: int) -> None: ...


class JobRepository(Protocol):
    """Where jobs wait for a worker. `add` records a job as queued, or returns the one
    this owner's idempotency key already made."""

    def add(
        self, owner_id: int, kind: str, payload: dict[str, Any], idempotency_key: str | None
    ) -> Job: ...

    def get(self, job_id: uuid.UUID) -> Job | None: ...


class UnitOfWork(Protocol):
    """One transaction: `with uow:` begins it, `uow.commit()` keeps its changes, and leaving
    the block without a commit (or with an exception) throws them away."""

    @property
    def users(self) -> UserRepository: ...  # read-only: any repository will do

    @property
    def expenses(self) -> ExpenseRepository: ...

    @property
    def jobs(self) -> JobRepository: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...


# Users


def register_user(uow: UnitOfWork, username: str, password: str, *, is_admin: bool = False) -> User:
    """Add a user, storing only a hash of the password. Raises ConflictError when the
    username is taken. Only the CLI's `create-admin` passes is_admin=True."""
    valid_username, valid_password = parse_username(username), parse_password(password)
    password_hash = hash_password(valid_password)  # slow on purpose: before the transaction
    with uow:
        user = uow.users.add(valid_username, password_hash, is_admin)
        uow.commit()
    return user


def authenticate(uow: UnitOfWork, username: str, password: str) -> User:
    """The user whose username and password these are; AuthenticationError otherwise."""
    # A name no one can have registered (a NUL byte, 10,000 characters) is not looked up:
    # there is no such user, and the database need not be asked about garbage.
    user = None
    if is_valid_username(username):
        with uow:
            user = uow.users.by_username(username)
    # The password is checked even when there is no such user (against a dummy hash), so
    # both failures take the same time and say the same thing.
    password_ok = verify_password(password, user.password_hash if user else None)
    if user is None or not password_ok:
        raise AuthenticationError(LOGIN_FAILED)
    return user


def find_user(uow: UnitOfWork, user_id: int) -> User | None:
    with uow:
        return uow.users.get(user_id)


def find_user_by_name(uow: UnitOfWork, username: str) -> User | None:
    with uow:
        return uow.users.by_username(username)


def list_users(uow: UnitOfWork, actor: User) -> list[User]:
    """Every user, oldest first. Only an admin may ask."""
    if not actor.is_admin:
        raise PermissionDeniedError("only an admin may list the users")
    with uow:
        return uow.users.all()


# Expenses


def add_expense(
    uow: UnitOfWork, actor: User, amount: str, category: str, note: str = ""
) -> Expense:
    """Record an expense that belongs to `actor`. Its values are checked before the
    database is touched."""
    valid_amount, valid_category = parse_amount(amount), parse_category(category)
    valid_note = parse_note(note)
    with uow:
        expense = uow.expenses.add(actor.id, valid_amount, valid_category, valid_note)
        uow.commit()
    return expense


def list_expenses(uow: UnitOfWork, actor: User) -> list[Expense]:
    """Every expense `actor` may see, oldest first."""
    with uow:
        return uow.expenses.all(owner_id=_scope(actor))


def page_of_expenses(uow: UnitOfWork, actor: User, limit: int, offset: int) -> Page:
    """`limit` expenses after the first `offset`, oldest first, and how many there are.
    Both are read in one transaction, so the total matches the page."""
    owner_id = _scope(actor)
    with uow:
        items = uow.expenses.slice(limit, offset, owner_id=owner_id)
        total = uow.expenses.count(owner_id=owner_id)
    return Page(items=items, total=total, limit=limit, offset=offset)


def get_expense(uow: UnitOfWork, actor: User, expense_id: int) -> Expense:
    with uow:
        return _visible(uow, actor, expense_id)


def update_expense(
    uow: UnitOfWork,
    actor: User,
    expense_id: int,
    *,
    amount: str | None = None,
    category: str | None = None,
    note: str | None = None,
) -> Expense:
    """Change the values given and keep the others: None means "leave it as it is".
    The owner never changes, not even when an admin makes the change."""
    changes: dict[str, object] = {}
    if amount is not None:
        changes["amount"] = parse_amount(amount)
    if category is not None:
        changes["category"] = parse_category(category)
    if note is not None:
        changes["note"] = parse_note(note)
    with uow:
        expense = replace(_visible(uow, actor, expense_id), **changes)
        uow.expenses.update(expense)
        uow.commit()
    return expense


def delete_expense(uow: UnitOfWork, actor: User, expense_id: int) -> Expense:
    """Delete one expense and return it, so the caller can say what went."""
    with uow:
        expense = _visible(uow, actor, expense_id)
        uow.expenses.delete(expense_id)
        uow.commit()
    return expense


def total_per_category(uow: UnitOfWork, actor: User) -> dict[str, Decimal]:
    """The sum of the amounts in each category of the expenses `actor` may see,
    categories in alphabetical order."""
    return summary.total_per_category(list_expenses(uow, actor))


# Jobs


def start_import(
    uow: UnitOfWork,
    actor: User,
    csv_text: str,
    *,
    delay_seconds: int = 0,
    idempotency_key: str | None = None,
) -> Job:
    """Queue an import of CSV text for `actor`; a worker checks and imports it later.
    The same idempotency key sent again by the same user returns the job it made (a client
    that retried gets one import, not two); with another body, it is a ConflictError."""
    payload = {"csv": csv_text, "delay_seconds": delay_seconds}
    with uow:
        job = uow.jobs.add(actor.id, IMPORT, payload, idempotency_key)
        uow.commit()
    if job.payload != payload:
        raise ConflictError("this Idempotency-Key was already used for another import; use another")
    return job


def get_job(uow: UnitOfWork, actor: User, job_id: uuid.UUID) -> Job:
    """One job of `actor`'s (any, for an admin); someone else's is not found, like a
    missing one, as for expenses."""
    with uow:
        job = uow.jobs.get(job_id)
    if job is None or not (actor.is_admin or job.owner_id == actor.id):
        raise NotFoundError(f"no import with id {job_id}")
    return job


def import_expenses(expenses: ExpenseRepository, owner_id: int, csv_text: str) -> dict[str, int]:
    """Add every expense of the CSV text for `owner_id`, or none (a bad line is a
    ValidationError), in the caller's transaction: the worker's, with the job's outcome."""
    rows = parse_import(csv_text)
    for row in rows:
        expenses.add(owner_id, row.amount, row.category, row.note)
    return {"imported": len(rows)}


def _scope(actor: User) -> int | None:
    """Whose expenses `actor` may see: their own, or everyone's (None) for an admin."""
    return None if actor.is_admin else actor.id


def _visible(uow: UnitOfWork, actor: User, expense_id: int) -> Expense:
    """The expense, if it exists and `actor` may see it. Someone else's expense gets the
    very same NotFoundError as a missing one: a different answer ("forbidden") would
    confirm to a snooping user that the id exists."""
    expense = uow.expenses.get(expense_id)
    if expense is None or not actor.may_see(expense):
        raise NotFoundError(f"no expense with id {expense_id}; `list` shows the ids")
    return expense
