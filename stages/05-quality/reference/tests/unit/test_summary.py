from decimal import Decimal

from expense_tracker.models import Expense
from expense_tracker.summary import total_per_category


def expense(amount: str, category: str) -> Expense:
    return Expense(id=0, owner_id=1, amount=Decimal(amount), category=category)


def test_the_summary_sums_the_amounts_in_each_category():
    expenses = [expense("12.50", "food"), expense("3.20", "transport"), expense("7.50", "food")]

    assert total_per_category(expenses) == {"food": Decimal("20.00"), "transport": Decimal("3.20")}


def test_the_summary_adds_cents_exactly():
    totals = total_per_category([expense("0.10", "food"), expense("0.20", "food")])

    assert totals["food"] == Decimal("0.30")


def test_the_summary_lists_categories_in_alphabetical_order():
    totals = total_per_category([expense("1.00", "rent"), expense("1.00", "books")])

    assert list(totals) == ["books", "rent"]


def test_the_summary_of_no_expenses_is_empty():
    assert total_per_category([]) == {}
