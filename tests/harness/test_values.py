"""Generated values fit their field and compare the way a person would."""

import argparse
import re
from decimal import Decimal

from checks.harness.doors.cli.driver import fill
from checks.harness.manifest import Field
from checks.harness.values import ValueMaker, new_password, same_value

AMOUNT = Field("amount", "decimal", True, Decimal("0.01"), Decimal("50"))


def test_the_same_seed_gives_the_same_values_and_another_seed_others():
    fields = {"amount": AMOUNT, "category": Field("category", "word", True)}
    assert ValueMaker(7).record(fields) == ValueMaker(7).record(fields)
    assert ValueMaker(7).record(fields) != ValueMaker(8).record(fields)


def test_decimal_values_stay_within_bounds_with_at_most_two_places():
    maker = ValueMaker(1)
    for _ in range(200):
        value = Decimal(maker.value(AMOUNT))
        assert Decimal("0.01") <= value <= Decimal("50")
        assert value == value.quantize(Decimal("0.01"))


def test_numbers_compare_by_value_whatever_their_json_spelling():
    assert same_value(AMOUNT, "12.50", 12.5)
    assert same_value(AMOUNT, "12.50", "12.5")
    assert not same_value(AMOUNT, "12.50", "12.51")
    assert not same_value(AMOUNT, "1", True)
    # A value sent to be refused matches nothing, and never crashes the comparison.
    assert not same_value(AMOUNT, "twelve", "twelve") and not same_value(AMOUNT, "twelve", 12)


def test_text_compares_exactly():
    note = Field("note", "text", False)
    assert same_value(note, "note ab12", "note ab12")
    assert not same_value(note, "note ab12", "Note ab12")


def test_filling_arguments_drops_a_missing_field_with_its_option():
    args = ("add", "--amount", "{amount}", "--category={category}", "{note}")
    assert fill(args, {"amount": "3", "category": "food", "note": "hi"}) == [
        "add",
        "--amount",
        "3",
        "--category=food",
        "hi",
    ]
    assert fill(args, {"category": "food", "note": "hi"}) == ["add", "--category=food", "hi"]
    assert fill(args, {"amount": "3", "note": "hi"}) == ["add", "--amount", "3", "hi"]


def test_generated_words_are_made_of_the_fields_own_name_not_another_domains():
    fields = {
        "location": Field("location", "word", True),
        "name": Field("name", "text", True),
        "home_page": Field("home_page", "url", True),
    }
    record = ValueMaker(3).record(fields)
    assert re.fullmatch(r"location-[a-z0-9]{4}", record["location"])
    assert re.fullmatch(r"name [a-z0-9]{4}", record["name"])  # with a space, to be quoted
    assert re.fullmatch(r"https://[a-z0-9]{4}\.example\.com/home-page", record["home_page"])


def test_a_made_up_password_is_never_read_as_an_option_on_a_command_line():
    # token_urlsafe alone starts with "-" one time in 64: argparse then says
    # "--password: expected one argument" and a correct create-admin fails the run
    parser = argparse.ArgumentParser()
    parser.add_argument("--password", required=True)
    for _ in range(500):
        password = new_password()
        assert parser.parse_args(["--password", password]).password == password
