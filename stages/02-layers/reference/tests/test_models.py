from decimal import Decimal

import pytest

from expense_tracker.errors import ValidationError
from expense_tracker.models import Expense, parse_amount, parse_category


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12.5", "12.50"), ("12.50", "12.50"), (" 7 ", "7.00"), ("0.01", "0.01"), ("3.100", "3.10")],
)
def test_an_amount_is_read_as_an_exact_number_of_cents(text, expected):
    assert parse_amount(text) == Decimal(expected)
    assert str(parse_amount(text)) == expected


@pytest.mark.parametrize("text", ["twelve", "", "12,50", "NaN", "Infinity", "-inf"])
def test_an_amount_that_is_not_a_number_is_rejected(text):
    with pytest.raises(ValidationError, match="is not a number"):
        parse_amount(text)


@pytest.mark.parametrize("text", ["0", "0.00", "-5"])
def test_an_amount_of_zero_or_less_is_rejected(text):
    with pytest.raises(ValidationError, match="more than 0"):
        parse_amount(text)


def test_an_amount_above_the_maximum_is_rejected():
    with pytest.raises(ValidationError, match="at most 10000"):
        parse_amount("10000.01")


def test_an_amount_with_more_than_two_decimal_places_is_rejected_not_rounded():
    with pytest.raises(ValidationError, match="more than 2 decimal places"):
        parse_amount("12.505")


@pytest.mark.parametrize("text", ["food", "eating-out", "q3_travel"])
def test_a_one_word_category_is_accepted(text):
    assert parse_category(text) == text


@pytest.mark.parametrize("text", ["", "  ", "eating out", "food!"])
def test_a_category_that_is_not_one_word_is_rejected(text):
    with pytest.raises(ValidationError, match="category must be one word"):
        parse_category(text)


def test_an_expense_writes_its_amount_as_a_string_with_two_decimals():
    expense = Expense(id=1, amount=Decimal("12.50"), category="food", note="lunch")

    assert expense.to_dict() == {"id": 1, "amount": "12.50", "category": "food", "note": "lunch"}
