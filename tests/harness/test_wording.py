"""Fix texts speak the learner's domain: a habits tracker never reads about expenses."""

import json

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


INVENTORY = (
    GOOD.replace('record = "expense"', 'record = "item"')
    .replace(
        'amount = { type = "decimal", required = true, min = 0.01, max = 10000 }\n'
        'category = { type = "word", required = true }\nnote = { type = "text", required = false }',
        'quantity = { type = "int", required = true }\nlocation = { type = "word" }',
    )
    .replace(
        'add = ["add", "--amount", "{amount}", "--category", "{category}", "--note", "{note}"]',
        'add = ["add", "--quantity", "{quantity}", "--location", "{location}"]',
    )
    .replace(
        'group_by = "category"\naggregate = "sum"\nfield = "amount"',
        'group_by = "location"\naggregate = "sum"\nfield = "quantity"',
    )
    .replace('invalid = { amount = "twelve" }', 'invalid = { quantity = "-3" }')
)


def test_the_summary_fix_says_count_or_sum_in_the_manifests_words_with_an_example(habits, tmp_path):
    summary = next(check for check in all_checks() if check.id == "01-cli/summary")
    counted = wording.render(summary.fix, habits)
    assert counted.startswith("count the check-ins per habit and print a JSON object such as {")
    example = json.loads(counted.split("such as ", 1)[1])
    assert list(example.values()) == [2, 1] and all(g.startswith("habit-") for g in example)
    assert "sum" not in counted and "manifest" not in counted and "cent" not in counted

    (tmp_path / "pyproject.toml").write_text(INVENTORY)
    whole_numbers = wording.render(summary.fix, wording.words_for(manifest.load(tmp_path)))
    assert whole_numbers.startswith("add up the quantity of the items per location and print")
    assert "parse quantity as int" in whole_numbers and "cent" not in whole_numbers

    docs = wording.render(summary.fix)  # the docs' preset, expenses
    assert docs.startswith("add up the amount of the expenses per category and print")
    assert "parse amount as Decimal" in docs


def test_the_docs_summary_fix_is_the_one_the_expenses_preset_gets(tmp_path):
    (tmp_path / "pyproject.toml").write_text(GOOD)
    worded = wording.words_for(manifest.load(tmp_path))
    assert worded["summary_fix"] == wording.DEFAULT_WORDS["summary_fix"]
