"""Since your last run: the previous results.json of the same project, or nothing at all."""

import json
from pathlib import Path

from checks.harness import history
from checks.harness.catalog import check_by_id
from checks.harness.history import Change
from checks.harness.results import CheckResult, Run
from checks.report import exercism


def a_run(statuses: dict[str, str], **fields) -> Run:
    values = {"repo": "expense-tracker", "project": "expense-tracker", "stage": 1, "seed": 7}
    run = Run(**{**values, **fields})
    run.results = [CheckResult(check_by_id(i), status) for i, status in statuses.items()]
    return run


BEFORE = {
    "01-cli/installs": "pass",
    "01-cli/help": "fail",
    "01-cli/list-json": "pass",
    "01-cli/summary": "blocked",
    "01-cli/code-organization": "fail",
}


def previous(**fields) -> dict:
    return json.loads(exercism.render(a_run(BEFORE, **fields)))


def test_newly_passing_and_newly_failing_required_checks_are_counted():
    fixed = {"01-cli/help": "pass", "01-cli/summary": "pass"}
    now = a_run({**BEFORE, **fixed, "01-cli/list-json": "blocked"})  # it passed before
    assert history.compare([previous()], now) == Change(
        ("01-cli/help", "01-cli/summary"), ("01-cli/list-json",)
    )


def test_advisory_checks_do_not_count():
    now = a_run({**BEFORE, "01-cli/code-organization": "pass"})
    assert history.compare([previous()], now) == Change((), ())


def test_a_run_of_other_checks_is_no_comparison():
    partial = a_run({"01-cli/installs": "pass"})  # a run with --only
    assert history.compare([previous()], partial) is None
    grown = a_run({**BEFORE, "01-cli/show-by-id": "pass", "01-cli/help": "pass"})
    assert history.compare([previous()], grown) is None
    assert history.compare([json.loads(exercism.render(partial))], partial) == Change((), ())


def test_another_project_repository_or_stage_is_no_comparison():
    now = a_run(BEFORE)
    assert history.compare([previous(project="bookmarks")], now) is None
    assert history.compare([previous(repo="someone-else")], now) is None
    assert history.compare([previous(stage=2)], now) is None
    assert history.compare([previous()], a_run(BEFORE, error="no manifest")) is None


def test_a_missing_unreadable_or_foreign_file_is_no_comparison(tmp_path):
    assert history.read(tmp_path / "results.json") is None
    for content in (b"{not json", b"\xff\xfe", b"[1, 2]", b'"text"'):
        (tmp_path / "results.json").write_bytes(content)
        assert history.read(tmp_path / "results.json") is None
    now = a_run(BEFORE)
    odd = {**previous(), "tests": [{"id": 3}, "x", {"id": "01-cli/help", "status": None}]}
    assert history.compare([odd], now) is None
    assert history.compare([{**previous(), "tests": "none"}], now) is None
    assert history.compare([{**previous(), "version": 2}], now) is None


def test_a_results_json_written_before_adr_14_still_compares(tmp_path):
    """Before ADR 14, `status` held the roadmap's statuses (blocked, not-applicable…) and
    checks that did not apply were among the tests: the first run after the change still
    says what changed."""
    old = Path(__file__).parents[1] / "report" / "results-before-adr-14.json"
    (tmp_path / "results.json").write_bytes(old.read_bytes())
    now = {
        "01-cli/installs": "blocked",
        "01-cli/summary": "pass",
        "01-cli/help": "not-applicable",
        "01-cli/code-organization": "fail",
    }

    assert history.compare(history.previous(tmp_path), a_run(now)) == Change(
        ("01-cli/summary",), ("01-cli/installs",)
    )


def test_checks_that_do_not_apply_are_listed_apart_and_still_make_the_same_checks():
    with_cli_off = {**BEFORE, "01-cli/help": "not-applicable"}
    before = json.loads(exercism.render(a_run(with_cli_off)))
    assert "01-cli/help" not in {t["id"] for t in before["tests"]}

    assert history.compare([before], a_run({**with_cli_off, "01-cli/summary": "pass"})) == Change(
        ("01-cli/summary",), ()
    )


def test_a_failure_that_now_stands_blocked_behind_another_is_counted_as_reached():
    """The learner fixed what was theirs in help; it now stops at a step that still fails."""
    now = a_run({**BEFORE, "01-cli/help": "blocked"})
    change = history.compare([previous()], now)
    assert change == Change((), (), ("01-cli/help",))
    from checks.report.terminal import _since

    assert _since(change) == " (1 more check reached since your last run)"


def rendered(run: Run) -> dict:
    return json.loads(exercism.render(run))


def test_a_run_with_only_compares_the_checks_it_chose_with_the_last_run_that_had_them():
    chosen = a_run({"01-cli/help": "pass"}, partial=True)
    assert rendered(chosen)["partial"] is True
    assert history.compare([previous()], chosen) == Change(("01-cli/help",), ())
    other = rendered(a_run({"01-cli/summary": "pass"}, partial=True))
    assert history.compare([other, previous()], chosen) == Change(("01-cli/help",), ())
    assert history.compare([other], chosen) is None


def test_a_whole_run_after_runs_with_only_compares_with_the_whole_run_kept_aside(tmp_path):
    """--only replaces the reports; the whole run before it is what the next whole run
    compares with, so `+N since your last run` still counts every fix made meanwhile."""
    whole = a_run(BEFORE)
    (tmp_path / "results.json").write_text(exercism.render(whole))
    for chosen in ({"01-cli/help": "pass"}, {"01-cli/summary": "pass"}):  # two runs with --only
        only = a_run(chosen, partial=True)
        before = history.previous(tmp_path)
        (tmp_path / "results.json").write_text(exercism.render(only))
        history.keep(tmp_path, before, only)
        assert json.loads((tmp_path / history.FULL_RUN).read_text()) == rendered(whole)

    fixed = a_run({**BEFORE, "01-cli/help": "pass", "01-cli/summary": "pass"})
    before = history.previous(tmp_path)
    assert history.compare(before, fixed) == Change(("01-cli/help", "01-cli/summary"), ())
    (tmp_path / "results.json").write_text(exercism.render(fixed))
    history.keep(tmp_path, before, fixed)
    assert not (tmp_path / history.FULL_RUN).exists()
