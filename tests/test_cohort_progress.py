"""Against an earlier cohort.json, each learner's row says what passes now that did not."""

import json
import os

import pytest

from checks.cohort import progress
from checks.cohort.rows import Row
from checks.cohort.sources import InputError
from tests.test_cohort_fakes import results


def row(key, learner, passing=(), failing=(), repo="expense-tracker"):
    document = results(passing=tuple(passing), failing=tuple(failing))
    return Row.from_results(document, key=key, learner=learner, repo=repo, graded="2025-03-21")


def earlier(tmp_path, rows):
    file = tmp_path / "week-1" / "cohort.json"
    file.parent.mkdir(exist_ok=True)
    file.write_text(json.dumps(rows))
    return progress.load(file)


def test_checks_passing_since_are_listed_and_a_learner_with_none_is_flagged(tmp_path):
    before = [
        {**row("/l/ada", "Ada", ["a"], ["b", "c"]).to_json(), "graded": "2025-03-14T09:00:00Z"},
        row("/l/bo", "Bo", ["a"], ["b"]).to_json(),
    ]
    now = [row("/l/ada", "Ada", ["a", "b", "c"]), row("/l/bo", "Bo", ["a"], ["b"])]

    ada, bo = progress.compare(now, earlier(tmp_path, before))

    assert (ada.newly_passing, ada.no_progress_since) == (["b", "c"], None)
    assert (bo.newly_passing, bo.no_progress_since) == ([], "2025-03-14")


def test_learners_are_matched_by_their_repo_not_by_a_folder_name_they_share(tmp_path):
    before = [
        row("/a/expense-tracker", "Ada", ["a"], ["b"]).to_json(),
        row("/b/expense-tracker", "Bo", ["a", "b"]).to_json(),
    ]
    now = [
        row("/a/expense-tracker", "Ada", ["a", "b"]),
        row("/b/expense-tracker", "Bo", ["a", "b"]),
    ]

    ada, bo = progress.compare(now, earlier(tmp_path, before))

    assert (ada.newly_passing, bo.newly_passing) == (["b"], [])


def test_a_learner_whose_folder_moved_is_found_by_name(tmp_path):
    before = [row("/old/ada", "Ada", ["a"], ["b"]).to_json()]

    [ada] = progress.compare([row("/new/ada", "Ada", ["a", "b"])], earlier(tmp_path, before))

    assert ada.newly_passing == ["b"]


def test_a_learner_new_to_the_cohort_is_not_flagged(tmp_path):
    before = [row("/l/ada", "Ada", ["a"]).to_json()]

    [cy] = progress.compare([row("/l/cy", "Cy", repo="bookmarks")], earlier(tmp_path, before))

    assert (cy.newly_passing, cy.no_progress_since) == (None, None)


def test_a_cohort_json_from_before_keys_compares_by_folder_and_is_dated_by_its_file(tmp_path):
    old_row = {"repo": "ada-expenses", "status": "fail", "failing": ["b", "c"], "exit_code": 1}
    earlier(tmp_path, [old_row])
    noon = 1741953600  # 2025-03-14 12:00 UTC: the same day in nearly every time zone
    os.utime(tmp_path / "week-1" / "cohort.json", (noon, noon))
    loaded = progress.load(tmp_path / "week-1" / "cohort.json")
    now = row("/l/ada-expenses", "Ada", ["a", "b"], ["c"], repo="ada-expenses")

    [ada] = progress.compare([now], loaded)

    assert ada.newly_passing == ["b"]
    assert loaded.date == "2025-03-14"


@pytest.mark.parametrize("text", ["not json", '{"rows": []}', "[1, 2]"])
def test_a_file_that_is_not_a_cohort_json_is_one_readable_line(tmp_path, text):
    file = tmp_path / "cohort.json"
    file.write_text(text)

    with pytest.raises(InputError) as raised:
        progress.load(file)

    assert str(raised.value).startswith(f"cannot read {file} (")
    assert str(raised.value).endswith("give a cohort.json from an earlier run")
