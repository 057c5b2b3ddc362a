from decimal import Decimal

import pytest

from expense_tracker.errors import ValidationError
from expense_tracker.models import (
    Expense,
    User,
    parse_amount,
    parse_category,
    parse_note,
    parse_password,
    parse_username,
)


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


@pytest.mark.parametrize("text", ["", "lunch with Sam", "x" * 500, "naïve café ☕"])
def test_a_note_of_up_to_500_characters_is_kept_as_typed(text):
    assert parse_note(text) == text


def test_a_note_too_long_is_rejected():
    with pytest.raises(ValidationError, match="at most 500 characters"):
        parse_note("x" * 501)


def test_a_note_with_a_nul_character_is_rejected():
    # PostgreSQL cannot store it in a text column: refused here, as the user's mistake.
    with pytest.raises(ValidationError, match="NUL"):
        parse_note("lunch\x00")


def test_an_expense_writes_its_amount_as_a_string_with_two_decimals():
    expense = Expense(id=1, owner_id=7, amount=Decimal("12.50"), category="food", note="lunch")

    assert expense.to_dict() == {
        "id": 1,
        "amount": "12.50",
        "category": "food",
        "note": "lunch",
        "owner_id": 7,
    }


@pytest.mark.parametrize("text", ["ada", "ada.lovelace", "ada@example.com", "a_b-c+d", "x" * 64])
def test_a_username_of_3_to_64_plain_characters_is_kept_as_typed(text):
    assert parse_username(text) == text


@pytest.mark.parametrize("text", ["", "ab", "x" * 65, " ada", "ada lovelace", "\u0430da", "ada!"])
def test_any_other_username_is_rejected(text):
    with pytest.raises(ValidationError, match="username must be 3 to 64"):
        parse_username(text)


@pytest.mark.parametrize("text", ["12345678", " spaces count ", "x" * 128])
def test_a_password_of_8_to_128_characters_is_accepted_as_typed(text):
    assert parse_password(text) == text


@pytest.mark.parametrize(
    ("text", "problem"), [("1234567", "at least 8"), ("x" * 129, "at most 128")]
)
def test_a_password_too_short_or_too_long_is_rejected_without_repeating_it(text, problem):
    with pytest.raises(ValidationError, match=problem) as error:
        parse_password(text)

    assert text not in str(error.value)


def test_a_user_sees_only_their_own_expenses_and_an_admin_sees_all():
    user, admin = User(1, "ada", "hash"), User(2, "root", "hash", is_admin=True)
    theirs, others = (Expense(id=i, owner_id=i, amount=Decimal(1), category="x") for i in (1, 3))

    assert user.may_see(theirs)
    assert not user.may_see(others)
    assert admin.may_see(theirs)
    assert admin.may_see(others)
