"""The SQLAlchemy repository and unit of work, on a real SQLite database kept in memory."""

from decimal import Decimal

import pytest

from expense_tracker.db import connect
from expense_tracker.errors import StorageError
from expense_tracker.models import Expense
from expense_tracker.unit_of_work import SqlAlchemyUnitOfWork


@pytest.fixture
def uow():
    return SqlAlchemyUnitOfWork(connect("sqlite://"))  # "sqlite://": a database in memory


def add(uow, amount: str, category: str = "food", note: str = ""):
    with uow:
        expense = uow.expenses.add(Decimal(amount), category, note)
        uow.commit()
    return expense


def test_an_added_expense_gets_an_id_and_reads_back_unchanged(uow):
    added = add(uow, "12.50", "food", "lunch with Sam")

    with uow:
        assert uow.expenses.get(added.id) == added


@pytest.mark.parametrize("amount", ["0.01", "0.10", "0.30", "12.50", "9999.99", "10000.00"])
def test_amounts_read_back_as_exact_decimals(uow, amount):
    added = add(uow, amount)

    with uow:
        assert uow.expenses.get(added.id).amount == Decimal(amount)


def test_expenses_are_listed_in_id_order(uow):
    ids = [add(uow, amount).id for amount in ("3.00", "1.00", "2.00")]

    with uow:
        assert [e.id for e in uow.expenses.all()] == ids == sorted(ids)


def test_an_unknown_id_is_none_not_an_error(uow):
    with uow:
        assert uow.expenses.get(42) is None


def test_ids_are_not_reused_after_the_newest_expense_is_deleted(uow):
    add(uow, "1.00")
    newest = add(uow, "2.00")
    with uow:
        uow.expenses.delete(newest.id)
        uow.commit()

    assert add(uow, "3.00").id == newest.id + 1


def test_a_change_that_is_not_committed_is_rolled_back(uow):
    with uow:
        uow.expenses.add(Decimal("1.00"), "food", "")

    with uow:
        assert uow.expenses.all() == []


def test_an_exception_in_a_unit_of_work_rolls_everything_back(uow):
    with pytest.raises(RuntimeError), uow:
        uow.expenses.add(Decimal("1.00"), "food", "")
        raise RuntimeError("something went wrong halfway")

    with uow:
        assert uow.expenses.all() == []


def test_a_database_error_leaves_the_unit_of_work_as_a_storage_error(uow):
    with pytest.raises(StorageError, match="the database refused the change"), uow:
        uow.expenses.add(Decimal("1.00"), None, "")  # category is NOT NULL


def test_a_slice_is_in_id_order_and_count_sees_every_row(uow):
    added = [add(uow, amount) for amount in ("1.00", "2.00", "3.00")]

    with uow:
        assert uow.expenses.slice(limit=2, offset=1) == added[1:]
        assert uow.expenses.count() == 3


def test_an_update_is_kept_after_commit(uow):
    expense = add(uow, "1.00", "food", "old note")
    changed = Expense(id=expense.id, amount=Decimal("2.00"), category="rent", note="new note")

    with uow:
        uow.expenses.update(changed)
        uow.commit()

    with uow:
        assert uow.expenses.get(expense.id) == changed
