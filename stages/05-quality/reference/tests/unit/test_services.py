"""The rules, tested without the command line or a database: a fake unit of work stands in."""

from decimal import Decimal

import pytest

from expense_tracker import services
from expense_tracker.errors import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)

PASSWORD = "correct horse battery"  # as in conftest.py: every user the fixtures make has it

# Expenses


def test_adding_an_expense_stores_it_with_the_next_id_and_commits(uow, alice):
    first = services.add_expense(uow, alice, "12.5", "food", "lunch")
    second = services.add_expense(uow, alice, "3.20", "transport")

    assert (first.id, first.amount, first.note) == (1, Decimal("12.50"), "lunch")
    assert second.id == 2
    assert uow.expenses.all(owner_id=None) == [first, second]
    assert uow.commits == 3  # alice's registration, then the two expenses


def test_an_expense_belongs_to_the_user_who_adds_it(uow, alice, bob):
    assert services.add_expense(uow, bob, "1.00", "food").owner_id == bob.id


def test_an_amount_that_is_not_a_number_is_rejected_before_anything_is_stored(uow, alice):
    commits = uow.commits

    with pytest.raises(ValidationError, match="is not a number"):
        services.add_expense(uow, alice, "twelve", "food")

    assert uow.expenses.all(owner_id=None) == []
    assert uow.commits == commits


def test_a_category_of_two_words_is_rejected(uow, alice):
    with pytest.raises(ValidationError, match="category must be one word"):
        services.add_expense(uow, alice, "1.00", "eating out")

    assert uow.expenses.all(owner_id=None) == []


def test_a_note_the_database_cannot_store_is_rejected_when_adding_and_updating(uow, alice):
    with pytest.raises(ValidationError, match="NUL"):
        services.add_expense(uow, alice, "1.00", "food", "lunch\x00")
    expense = services.add_expense(uow, alice, "1.00", "food", "lunch")
    with pytest.raises(ValidationError, match="NUL"):
        services.update_expense(uow, alice, expense.id, note="\x00")

    assert services.list_expenses(uow, alice) == [expense]


def test_expenses_are_listed_in_the_order_they_were_added(uow, alice):
    for amount in ("1.00", "2.00", "3.00"):
        services.add_expense(uow, alice, amount, "food")

    assert [e.amount for e in services.list_expenses(uow, alice)] == [
        Decimal("1.00"),
        Decimal("2.00"),
        Decimal("3.00"),
    ]


def test_getting_an_expense_by_its_id(uow, alice):
    services.add_expense(uow, alice, "1.00", "food")
    rent = services.add_expense(uow, alice, "700", "rent")

    assert services.get_expense(uow, alice, rent.id) == rent


def test_getting_an_unknown_id_raises_not_found(uow, alice):
    with pytest.raises(NotFoundError, match="no expense with id 5"):
        services.get_expense(uow, alice, 5)


def test_deleting_an_expense_returns_it_keeps_the_others_and_commits(uow, alice):
    for amount in ("1.00", "2.00", "3.00"):
        services.add_expense(uow, alice, amount, "food")
    commits = uow.commits

    deleted = services.delete_expense(uow, alice, 2)

    assert deleted.amount == Decimal("2.00")
    assert [e.id for e in services.list_expenses(uow, alice)] == [1, 3]
    assert uow.commits == commits + 1


def test_deleting_an_unknown_id_raises_not_found_and_commits_nothing(uow, alice):
    services.add_expense(uow, alice, "1.00", "food")
    commits = uow.commits

    with pytest.raises(NotFoundError, match="no expense with id 9"):
        services.delete_expense(uow, alice, 9)

    assert len(services.list_expenses(uow, alice)) == 1
    assert uow.commits == commits


def test_the_total_per_category_adds_cents_exactly(uow, alice):
    services.add_expense(uow, alice, "0.10", "food")
    services.add_expense(uow, alice, "0.20", "food")
    services.add_expense(uow, alice, "5", "books")

    assert services.total_per_category(uow, alice) == {
        "books": Decimal("5.00"),
        "food": Decimal("0.30"),
    }


def test_a_page_holds_limit_expenses_after_offset_and_the_total(uow, alice):
    for amount in ("1.00", "2.00", "3.00", "4.00", "5.00"):
        services.add_expense(uow, alice, amount, "food")

    page = services.page_of_expenses(uow, alice, limit=2, offset=3)

    assert [e.id for e in page.items] == [4, 5]
    assert (page.total, page.limit, page.offset) == (5, 2, 3)


def test_updating_changes_only_the_values_given(uow, alice):
    expense = services.add_expense(uow, alice, "12.50", "food", "lunch")

    updated = services.update_expense(uow, alice, expense.id, category="travel")

    assert (updated.amount, updated.category, updated.note) == (Decimal("12.50"), "travel", "lunch")
    assert services.get_expense(uow, alice, expense.id) == updated


def test_an_update_with_a_bad_value_changes_nothing(uow, alice):
    expense = services.add_expense(uow, alice, "12.50", "food")

    with pytest.raises(ValidationError, match="amount must be more than 0"):
        services.update_expense(uow, alice, expense.id, amount="-3")

    assert services.get_expense(uow, alice, expense.id) == expense


def test_updating_an_unknown_id_raises_not_found(uow, alice):
    with pytest.raises(NotFoundError, match="no expense with id 4"):
        services.update_expense(uow, alice, 4, note="gone")


# Ownership: the rules the API and the CLI both rely on


def test_a_user_lists_pages_and_sums_only_their_own_expenses(uow, alice, bob):
    services.add_expense(uow, alice, "1.00", "food")
    mine = services.add_expense(uow, bob, "2.00", "rent")

    assert services.list_expenses(uow, bob) == [mine]
    assert services.page_of_expenses(uow, bob, limit=10, offset=0).total == 1
    assert services.total_per_category(uow, bob) == {"rent": Decimal("2.00")}


@pytest.mark.parametrize(
    "use_case",
    [
        lambda uow, user, id_: services.get_expense(uow, user, id_),
        lambda uow, user, id_: services.update_expense(uow, user, id_, note="mine now"),
        lambda uow, user, id_: services.delete_expense(uow, user, id_),
    ],
    ids=["get", "update", "delete"],
)
def test_another_users_expense_is_not_found_exactly_like_a_missing_one(uow, alice, bob, use_case):
    theirs = services.add_expense(uow, alice, "1.00", "food", "alice's")
    missing_id = theirs.id + 1

    with pytest.raises(NotFoundError) as for_theirs:
        use_case(uow, bob, theirs.id)
    with pytest.raises(NotFoundError) as for_missing:
        use_case(uow, bob, missing_id)

    assert str(for_theirs.value) == str(for_missing.value).replace(str(missing_id), str(theirs.id))
    assert services.get_expense(uow, alice, theirs.id) == theirs  # unchanged, not deleted


def test_an_admin_sees_changes_and_deletes_every_users_expenses(uow, alice, bob, admin):
    first = services.add_expense(uow, alice, "1.00", "food")
    second = services.add_expense(uow, bob, "2.00", "rent")

    assert services.list_expenses(uow, admin) == [first, second]
    assert services.get_expense(uow, admin, first.id) == first
    changed = services.update_expense(uow, admin, first.id, category="groceries")
    assert changed.owner_id == alice.id  # an admin's change keeps the owner
    services.delete_expense(uow, admin, second.id)
    assert services.list_expenses(uow, bob) == []


# Users


def test_registering_stores_a_hash_never_the_password(uow):
    user = services.register_user(uow, "ada", PASSWORD)

    assert (user.id, user.username, user.is_admin) == (1, "ada", False)
    assert PASSWORD not in user.password_hash
    assert PASSWORD not in repr(user)


def test_registering_a_taken_username_is_a_conflict(uow, alice):
    with pytest.raises(ConflictError, match="'alice' is taken"):
        services.register_user(uow, "alice", "another password")


@pytest.mark.parametrize(
    ("username", "password", "problem"),
    [
        ("al", PASSWORD, "username must be 3 to 64"),
        ("ada lovelace", PASSWORD, "username must be 3 to 64"),
        ("ada", "short", "at least 8 characters"),
        ("ada", "x" * 129, "at most 128 characters"),
    ],
)
def test_a_bad_username_or_password_is_refused(uow, username, password, problem):
    with pytest.raises(ValidationError, match=problem):
        services.register_user(uow, username, password)

    assert uow.users.all() == []


def test_the_right_password_authenticates_its_user(uow, alice):
    assert services.authenticate(uow, "alice", PASSWORD) == alice


def test_a_wrong_password_and_an_unknown_user_fail_with_the_same_message(uow, alice):
    with pytest.raises(AuthenticationError) as wrong_password:
        services.authenticate(uow, "alice", "not her password")
    with pytest.raises(AuthenticationError) as unknown_user:
        services.authenticate(uow, "nobody", PASSWORD)

    assert str(wrong_password.value) == str(unknown_user.value) == services.LOGIN_FAILED


@pytest.mark.parametrize("username", ["ali\x00ce", "x" * 65, "al"])
def test_a_username_no_one_can_have_fails_like_a_wrong_password_without_a_lookup(
    uow, alice, username, monkeypatch
):
    def looked_up(name):
        raise AssertionError(f"the storage was asked about {name!r}")

    monkeypatch.setattr(uow.users, "by_username", looked_up)

    with pytest.raises(AuthenticationError) as refused:
        services.authenticate(uow, username, PASSWORD)

    assert str(refused.value) == services.LOGIN_FAILED


def test_only_an_admin_may_list_the_users(uow, alice, admin):
    assert services.list_users(uow, admin) == [alice, admin]
    with pytest.raises(PermissionDeniedError):
        services.list_users(uow, alice)
