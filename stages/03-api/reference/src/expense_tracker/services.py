"""The service layer: what the program does, whoever asks (the CLI or the web API).

Each function is one use case. It checks what it is given against the domain's rules, does
its work inside one unit of work (one transaction), and raises a domain error when the
request cannot be done; it never prints or exits, so any front end can decide how to show
the error. It knows storage only through the two protocols below: the CLI passes in
the SQLAlchemy unit of work, the tests pass a fake that keeps expenses in a dict.
"""

from dataclasses import replace
from decimal import Decimal
from types import TracebackType
from typing import Protocol, Self

from expense_tracker import summary
from expense_tracker.errors import NotFoundError
from expense_tracker.models import Expense, Page, parse_amount, parse_category


class ExpenseRepository(Protocol):
    """Where expenses are kept. `get` answers None for an unknown id: deciding that this is
    an error is a rule, and rules live here, not in the storage."""

    def add(self, amount: Decimal, category: str, note: str) -> Expense: ...

    def get(self, expense_id: int) -> Expense | None: ...

    def all(self) -> list[Expense]: ...

    def slice(self, limit: int, offset: int) -> list[Expense]: ...

    def count(self) -> int: ...

    def update(self, expense: Expense) -> None: ...

    def delete(self, expense_id: int) -> None: ...


class UnitOfWork(Protocol):
    """One transaction: `with uow:` begins it, `uow.commit()` keeps its changes, and leaving
    the block without a commit (or with an exception) throws them away."""

    @property
    def expenses(self) -> ExpenseRepository: ...  # read-only: any repository will do

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...


def add_expense(uow: UnitOfWork, amount: str, category: str, note: str = "") -> Expense:
    """Record an expense. Its values are checked before the database is touched."""
    valid_amount, valid_category = parse_amount(amount), parse_category(category)
    with uow:
        expense = uow.expenses.add(valid_amount, valid_category, note)
        uow.commit()
    return expense


def list_expenses(uow: UnitOfWork) -> list[Expense]:
    """Every expense, oldest first."""
    with uow:
        return uow.expenses.all()


def page_of_expenses(uow: UnitOfWork, limit: int, offset: int) -> Page:
    """`limit` expenses after the first `offset`, oldest first, and how many there are.
    Both are read in one transaction, so the total matches the page."""
    with uow:
        items = uow.expenses.slice(limit, offset)
        return Page(items=items, total=uow.expenses.count(), limit=limit, offset=offset)


def get_expense(uow: UnitOfWork, expense_id: int) -> Expense:
    with uow:
        return _existing(uow, expense_id)


def update_expense(
    uow: UnitOfWork,
    expense_id: int,
    *,
    amount: str | None = None,
    category: str | None = None,
    note: str | None = None,
) -> Expense:
    """Change the values given and keep the others: None means "leave it as it is"."""
    changes: dict[str, object] = {}
    if amount is not None:
        changes["amount"] = parse_amount(amount)
    if category is not None:
        changes["category"] = parse_category(category)
    if note is not None:
        changes["note"] = note
    with uow:
        expense = replace(_existing(uow, expense_id), **changes)
        uow.expenses.update(expense)
        uow.commit()
    return expense


def delete_expense(uow: UnitOfWork, expense_id: int) -> Expense:
    """Delete one expense and return it, so the caller can say what went."""
    with uow:
        expense = _existing(uow, expense_id)
        uow.expenses.delete(expense_id)
        uow.commit()
    return expense


def total_per_category(uow: UnitOfWork) -> dict[str, Decimal]:
    """The sum of the amounts in each category, categories in alphabetical order."""
    return summary.total_per_category(list_expenses(uow))


def _existing(uow: UnitOfWork, expense_id: int) -> Expense:
    expense = uow.expenses.get(expense_id)
    if expense is None:
        raise NotFoundError(f"no expense with id {expense_id}; `list` shows the ids")
    return expense
