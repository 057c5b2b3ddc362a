"""Against an earlier cohort.json, each learner's row says what passes now that did not."""

import json
import os
from dataclasses import replace

import pytest

from checks.cohort import cells, progress
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
    assert (ada.runs_without_progress, bo.runs_without_progress) == (None, 1)
    assert (cells.progress(ada), cells.progress(bo)) == (
        "complete; +2: b, c",
        "no progress for 1 run (since 2025-03-14)",
    )


def weeks(tmp_path, *cohorts):
    """Grade each week's rows against the week before, as a mentor's weekly --compare does:
    each week's cohort.json is the next week's PREVIOUS. The last week's rows."""
    compared = None
    for n, rows in enumerate(cohorts, start=1):
        rows = [replace(r, graded=f"2025-03-{7 * n:02d}T09:00:00+00:00") for r in rows]
        compared = progress.compare(rows, compared) if compared else rows
        file = tmp_path / f"week-{n}" / "cohort.json"
        file.parent.mkdir(parents=True)
        file.write_text(json.dumps([r.to_json() for r in compared]))
        compared = progress.load(file)
    return [Row(**r) for r in json.loads(file.read_text())]


def test_a_learner_stuck_for_three_runs_reads_so_and_since_the_last_run_that_moved(tmp_path):
    ada = row("/l/ada", "Ada", ["a"], ["b"])
    moved = row("/l/ada", "Ada", ["a", "b"], ["c"])

    [stuck] = weeks(tmp_path, [ada], [moved], [moved], [moved], [moved])

    assert (stuck.runs_without_progress, stuck.no_progress_since) == (3, "2025-03-14")
    assert cells.progress(stuck) == "no progress for 3 runs (since 2025-03-14)"


def test_progress_after_a_stand_still_starts_the_count_again(tmp_path):
    before, after = row("/l/ada", "Ada", ["a"], ["b"]), row("/l/ada", "Ada", ["a", "b"], ["c"])
    stuck_again = weeks(tmp_path, [before], [before], [before], [after], [after])

    assert [(r.runs_without_progress, r.no_progress_since) for r in stuck_again] == [
        (1, "2025-03-28")
    ]


def test_a_learner_who_passes_reads_complete_not_no_progress(tmp_path):
    done = row("/l/ada", "Ada", ["a", "b"])

    [ada] = weeks(tmp_path, [row("/l/ada", "Ada", ["a"], ["b"])], [done], [done], [done])

    assert (ada.runs_without_progress, ada.no_progress_since) == (None, None)
    assert cells.progress(ada) == "complete"
    [just_done] = weeks(tmp_path / "again", [row("/l/ada", "Ada", ["a"], ["b"])], [done])
    assert cells.progress(just_done) == "complete; +1: b"


def test_moving_up_a_stage_is_progress_even_before_a_new_check_passes(tmp_path):
    stage_1 = row("/l/ada", "Ada", ["01/a", "01/b"])
    stage_2 = replace(row("/l/ada", "Ada", ["01/a", "01/b"], ["02/manifest"]), stage=2)

    [ada] = weeks(tmp_path, [stage_1], [stage_2])

    assert (ada.moved_up_from, ada.runs_without_progress) == (1, None)
    assert cells.progress(ada) == "up from stage 1"


def test_a_cohort_json_from_before_runs_were_counted_counts_its_stand_still_as_one(tmp_path):
    old = {**row("/l/bo", "Bo", ["a"], ["b"]).to_json(), "no_progress_since": "2025-03-07"}
    del old["runs_without_progress"]

    [bo] = progress.compare([row("/l/bo", "Bo", ["a"], ["b"])], earlier(tmp_path, [old]))

    assert (bo.runs_without_progress, bo.no_progress_since) == (2, "2025-03-07")


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


def test_a_learner_whose_folder_moved_is_found_by_name_whatever_its_case(tmp_path):
    before = [row("/old/ada", "Ada", ["a"], ["b"]).to_json()]

    [ada] = progress.compare([row("/new/ada", "ada", ["a", "b"])], earlier(tmp_path, before))

    assert ada.newly_passing == ["b"]


def test_a_name_two_learners_share_matches_neither(tmp_path):
    before = [row("/old/ada", "Ada", ["a"], ["b"]).to_json()]
    now = [row("/new/ada", "ada", ["a", "b"]), row("/new/ada-2", "ADA", ["a"])]

    assert [r.newly_passing for r in progress.compare(now, earlier(tmp_path, before))] == [
        None,
        None,
    ]


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
