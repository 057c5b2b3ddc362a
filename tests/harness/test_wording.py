"""Fix texts speak the learner's domain: a habits tracker never reads about expenses."""

import pytest

from checks.harness import manifest, wording
from checks.harness.catalog import all_checks
from tests.harness.test_manifest import GOOD

HABITS = (
    GOOD.replace('name = "expense-tracker"', 'name = "habit-log"')
    .replace('domain = "expenses"', 'domain = "habits"')
    .replace('record = "expense"', 'record = "check-in"')
    .replace(
        'amount = { type = "decimal", required = true, min = 0.01, max = 10000 }\n'
        'category = { type = "word", required = true }\nnote = { type = "text", required = false }',
        'habit = { type = "word", required = true }\nminutes = { type = "int", min = 1 }',
    )
    .replace('command = "expense-tracker"', 'command = "habits"')
    .replace(
        'add = ["add", "--amount", "{amount}", "--category", "{category}", "--note", "{note}"]',
        'add = ["log", "{habit}", "--minutes", "{minutes}"]',
    )
    .replace(
        'group_by = "category"\naggregate = "sum"\nfield = "amount"',
        'group_by = "habit"\naggregate = "count"',
    )
    .replace('invalid = { amount = "twelve" }', 'invalid = { minutes = "lots" }')
)


@pytest.fixture
def habits(tmp_path):
    (tmp_path / "pyproject.toml").write_text(HABITS)
    return wording.words_for(manifest.load(tmp_path))


@pytest.mark.parametrize("check", list(all_checks()), ids=lambda c: c.id)
def test_no_fix_or_why_names_the_default_domain_for_another_one(check, habits):
    for text in (check.why, check.fix):
        worded = wording.render(text, habits)
        for foreign in ("expense", "amount", "Decimal", "category"):
            assert foreign not in worded, f"{check.id}: {worded}"
        assert "{record" not in worded and "{field}" not in worded


def test_the_learners_words_fill_the_placeholders(habits):
    text = "parse {number_field} with {number_type}; GET {collection}/{{record_id}} -> {Record}Read"
    assert wording.render(text, habits) == (
        "parse minutes with int; GET /v1/check-ins/{check_in_id} -> CheckInRead"
    )


def test_the_docs_read_the_default_preset_and_leave_other_braces_alone():
    assert wording.render('{record} {"detail": 1} {add,list}') == 'expense {"detail": 1} {add,list}'


def test_the_number_to_parse_exactly_is_the_one_the_summary_adds_up(tmp_path):
    """A book has a year and a price: the summary sums the price, so that is the number
    the fix asks to parse as Decimal, whichever field comes first."""
    books = GOOD.replace(
        'amount = { type = "decimal", required = true, min = 0.01, max = 10000 }',
        'year = { type = "int", required = true }\n'
        'amount = { type = "decimal", required = true, min = 0.01, max = 10000 }',
    ).replace('"--amount", "{amount}"', '"--amount", "{amount}", "--year", "{year}"')
    (tmp_path / "pyproject.toml").write_text(books)
    words = wording.words_for(manifest.load(tmp_path))
    assert (words["number_field"], words["number_type"]) == ("amount", "Decimal")
