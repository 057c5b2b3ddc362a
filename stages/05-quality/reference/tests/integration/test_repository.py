"""The SQLAlchemy repositories and unit of work, on the real database (see conftest.py)."""

from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from expense_tracker.db import connect, make_engine
from expense_tracker.errors import ConflictError, DatabaseUnavailableError
from expense_tracker.models import Expense
from expense_tracker.unit_of_work import SqlAlchemyUnitOfWork


@pytest.fixture
def uow(database_url):
    sessions = connect(database_url)
    yield SqlAlchemyUnitOfWork(sessions)
    sessions.kw["bind"].dispose()  # close its connections before the schema is dropped


@pytest.fixture
def owner(uow):
    return add_user(uow, "alice")


def add_user(uow, username: str, is_admin: bool = False):
    with uow:
        user = uow.users.add(username, "not-a-real-hash", is_admin)
        uow.commit()
    return user


def add(uow, owner, amount: str, category: str = "food", note: str = ""):
    with uow:
        expense = uow.expenses.add(owner.id, Decimal(amount), category, note)
        uow.commit()
    return expense


def test_an_added_expense_gets_an_id_and_reads_back_unchanged(uow, owner):
    added = add(uow, owner, "12.50", "food", "lunch with Sam")

    with uow:
        assert uow.expenses.get(added.id) == added
    assert added.owner_id == owner.id


@pytest.mark.parametrize("amount", ["0.01", "0.10", "0.30", "12.50", "9999.99", "10000.00"])
def test_amounts_read_back_as_exact_decimals(uow, owner, amount):
    added = add(uow, owner, amount)

    with uow:
        assert uow.expenses.get(added.id).amount == Decimal(amount)


def test_expenses_are_listed_in_id_order(uow, owner):
    ids = [add(uow, owner, amount).id for amount in ("3.00", "1.00", "2.00")]

    with uow:
        assert [e.id for e in uow.expenses.all(owner_id=None)] == ids == sorted(ids)


def test_an_unknown_id_is_none_not_an_error(uow):
    with uow:
        assert uow.expenses.get(42) is None


def test_ids_are_not_reused_after_the_newest_expense_is_deleted(uow, owner):
    add(uow, owner, "1.00")
    newest = add(uow, owner, "2.00")
    with uow:
        uow.expenses.delete(newest.id)
        uow.commit()

    assert add(uow, owner, "3.00").id == newest.id + 1


def test_a_change_that_is_not_committed_is_rolled_back(uow, owner):
    with uow:
        uow.expenses.add(owner.id, Decimal("1.00"), "food", "")

    with uow:
        assert uow.expenses.all(owner_id=None) == []


def test_an_exception_in_a_unit_of_work_rolls_everything_back(uow, owner):
    with pytest.raises(RuntimeError), uow:
        uow.expenses.add(owner.id, Decimal("1.00"), "food", "")
        raise RuntimeError("something went wrong halfway")

    with uow:
        assert uow.expenses.all(owner_id=None) == []


def test_a_database_error_from_a_bug_leaves_as_it_is_not_as_try_again_later(uow, owner):
    # The services never send a missing category: if one arrives, our code is wrong, and
    # "the database is unavailable" would send whoever reads the log the wrong way.
    with pytest.raises(IntegrityError), uow:
        uow.expenses.add(owner.id, Decimal("1.00"), None, "")  # category is NOT NULL


def test_a_database_that_does_not_answer_is_unavailable_not_a_bug():
    closed_port = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/nothing")
    uow = SqlAlchemyUnitOfWork(sessionmaker(closed_port))

    with pytest.raises(DatabaseUnavailableError, match="try again later"), uow:
        uow.expenses.all(owner_id=None)


def test_a_slice_is_in_id_order_and_count_sees_every_row(uow, owner):
    added = [add(uow, owner, amount) for amount in ("1.00", "2.00", "3.00")]

    with uow:
        assert uow.expenses.slice(limit=2, offset=1, owner_id=None) == added[1:]
        assert uow.expenses.count(owner_id=None) == 3


def test_all_slice_and_count_keep_to_one_owner_when_asked(uow, owner):
    other = add_user(uow, "bob")
    mine = [add(uow, owner, "1.00"), add(uow, owner, "2.00")]
    add(uow, other, "3.00")

    with uow:
        assert uow.expenses.all(owner_id=owner.id) == mine
        assert uow.expenses.slice(limit=1, offset=1, owner_id=owner.id) == mine[1:]
        assert uow.expenses.count(owner_id=owner.id) == 2


def test_an_update_is_kept_after_commit(uow, owner):
    expense = add(uow, owner, "1.00", "food", "old note")
    changed = Expense(expense.id, owner.id, Decimal("2.00"), "rent", "new note")

    with uow:
        uow.expenses.update(changed)
        uow.commit()

    with uow:
        assert uow.expenses.get(expense.id) == changed


def test_a_user_reads_back_by_id_and_by_username(uow):
    user = add_user(uow, "root", is_admin=True)

    with uow:
        assert uow.users.get(user.id) == user
        assert uow.users.by_username("root") == user
        assert uow.users.by_username("ROOT") is None  # names are exact
    assert user.is_admin


def test_a_taken_username_is_a_conflict_and_nothing_is_stored(uow, owner):
    with pytest.raises(ConflictError, match="'alice' is taken"), uow:
        uow.users.add("alice", "another-hash", False)

    with uow:
        assert uow.users.all() == [owner]


def test_a_username_taken_between_the_check_and_the_insert_is_still_a_conflict(
    uow, owner, monkeypatch
):
    # Two registrations of one name at the same moment: both ask "is it taken?" before
    # either inserts. The database's UNIQUE constraint turns the second into a conflict.
    with pytest.raises(ConflictError, match="'alice' is taken"), uow:
        monkeypatch.setattr(uow.users, "by_username", lambda username: None)
        uow.users.add("alice", "another-hash", False)

    with uow:
        assert uow.users.all() == [owner]
