"""Shared fixtures: a fake unit of work, so the service tests need no database at all.

The fakes keep expenses in a dict and count commits. They are real (if tiny)
implementations of the services' protocols, not mocks: a test states what the service
did to the store, not which methods it happened to call.
"""

from decimal import Decimal

import pytest

from expense_tracker.models import Expense


class FakeRepository:
    """Expenses in a dict, numbered like the database numbers them: never an id twice."""

    def __init__(self) -> None:
        self.expenses: dict[int, Expense] = {}
        self.last_id = 0

    def add(self, amount: Decimal, category: str, note: str) -> Expense:
        self.last_id += 1
        expense = Expense(id=self.last_id, amount=amount, category=category, note=note)
        self.expenses[expense.id] = expense
        return expense

    def get(self, expense_id: int) -> Expense | None:
        return self.expenses.get(expense_id)

    def all(self) -> list[Expense]:
        return list(self.expenses.values())

    def slice(self, limit: int, offset: int) -> list[Expense]:
        return self.all()[offset : offset + limit]

    def count(self) -> int:
        return len(self.expenses)

    def update(self, expense: Expense) -> None:
        if expense.id in self.expenses:
            self.expenses[expense.id] = expense

    def delete(self, expense_id: int) -> None:
        self.expenses.pop(expense_id, None)


class FakeUnitOfWork:
    def __init__(self) -> None:
        self.expenses = FakeRepository()
        self.commits = 0

    def __enter__(self) -> "FakeUnitOfWork":
        return self

    def __exit__(self, *exc_info: object) -> None:
        pass

    def commit(self) -> None:
        self.commits += 1


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()
