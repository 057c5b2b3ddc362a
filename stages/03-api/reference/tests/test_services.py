"""The rules, tested without the command line or a database: a fake unit of work stands in."""

from decimal import Decimal

import pytest

from expense_tracker import services
from expense_tracker.errors import NotFoundError, ValidationError


def test_adding_an_expense_stores_it_with_the_next_id_and_commits(uow):
    first = services.add_expense(uow, "12.5", "food", "lunch")
    second = services.add_expense(uow, "3.20", "transport")

    assert (first.id, first.amount, first.note) == (1, Decimal("12.50"), "lunch")
    assert second.id == 2
    assert uow.expenses.all() == [first, second]
    assert uow.commits == 2


def test_an_amount_that_is_not_a_number_is_rejected_before_anything_is_stored(uow):
    with pytest.raises(ValidationError, match="is not a number"):
        services.add_expense(uow, "twelve", "food")

    assert uow.expenses.all() == []
    assert uow.commits == 0


def test_a_category_of_two_words_is_rejected(uow):
    with pytest.raises(ValidationError, match="category must be one word"):
        services.add_expense(uow, "1.00", "eating out")

    assert uow.expenses.all() == []


def test_expenses_are_listed_in_the_order_they_were_added(uow):
    for amount in ("1.00", "2.00", "3.00"):
        services.add_expense(uow, amount, "food")

    assert [e.amount for e in services.list_expenses(uow)] == [
        Decimal("1.00"),
        Decimal("2.00"),
        Decimal("3.00"),
    ]


def test_getting_an_expense_by_its_id(uow):
    services.add_expense(uow, "1.00", "food")
    rent = services.add_expense(uow, "700", "rent")

    assert services.get_expense(uow, rent.id) == rent


def test_getting_an_unknown_id_raises_not_found(uow):
    with pytest.raises(NotFoundError, match="no expense with id 5"):
        services.get_expense(uow, 5)


def test_deleting_an_expense_returns_it_keeps_the_others_and_commits(uow):
    for amount in ("1.00", "2.00", "3.00"):
        services.add_expense(uow, amount, "food")

    deleted = services.delete_expense(uow, 2)

    assert deleted.amount == Decimal("2.00")
    assert [e.id for e in services.list_expenses(uow)] == [1, 3]
    assert uow.commits == 4


def test_deleting_an_unknown_id_raises_not_found_and_commits_nothing(uow):
    services.add_expense(uow, "1.00", "food")

    with pytest.raises(NotFoundError, match="no expense with id 9"):
        services.delete_expense(uow, 9)

    assert len(services.list_expenses(uow)) == 1
    assert uow.commits == 1


def test_the_total_per_category_adds_cents_exactly(uow):
    services.add_expense(uow, "0.10", "food")
    services.add_expense(uow, "0.20", "food")
    services.add_expense(uow, "5", "books")

    assert services.total_per_category(uow) == {"books": Decimal("5.00"), "food": Decimal("0.30")}


def test_a_page_holds_limit_expenses_after_offset_and_the_total(uow):
    for amount in ("1.00", "2.00", "3.00", "4.00", "5.00"):
        services.add_expense(uow, amount, "food")

    page = services.page_of_expenses(uow, limit=2, offset=3)

    assert [e.id for e in page.items] == [4, 5]
    assert (page.total, page.limit, page.offset) == (5, 2, 3)


def test_updating_changes_only_the_values_given(uow):
    expense = services.add_expense(uow, "12.50", "food", "lunch")

    updated = services.update_expense(uow, expense.id, category="travel")

    assert (updated.amount, updated.category, updated.note) == (Decimal("12.50"), "travel", "lunch")
    assert services.get_expense(uow, expense.id) == updated
    assert uow.commits == 2


def test_an_update_with_a_bad_value_changes_nothing(uow):
    expense = services.add_expense(uow, "12.50", "food")

    with pytest.raises(ValidationError, match="amount must be more than 0"):
        services.update_expense(uow, expense.id, amount="-3")

    assert services.get_expense(uow, expense.id) == expense


def test_updating_an_unknown_id_raises_not_found(uow):
    with pytest.raises(NotFoundError, match="no expense with id 4"):
        services.update_expense(uow, 4, note="gone")
