"""The terminal rubric: scannable, fitted to the terminal, coloured only where colour helps."""

import io
import json
import re

import pytest

from checks.harness.catalog import STAGES, all_checks, check_by_id
from checks.harness.history import Change
from checks.harness.results import CheckResult, Run
from checks.report import exercism, markdown, terminal
from checks.report.terminal import Style

ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


def stage_1_ids() -> list[str]:
    return [check.id for check in all_checks() if check.stage == STAGES[1]]


def failure(check_id: str, problem: str = "it went wrong") -> CheckResult:
    return CheckResult(
        check_by_id(check_id),
        "fail",
        problem=problem,
        ran="expense-tracker list --json",
        got="exit code 2\nstdout: (empty)",
        expected="exit code 0",
        fix="make `expense-tracker list --json` print every record as a JSON array " * 3,
        try_lines=["export DATA_FILE=$(mktemp -d)/data.json", "expense-tracker list --json"],
    )


def a_run(failing: dict[str, str] | None = None, **fields: object) -> Run:
    """Stage 1 with every check passing but `failing` (id → problem)."""
    failing = failing or {}
    run = Run(repo="expense-tracker", project="expense-tracker", stage=1, seed=7, **fields)
    run.results = [
        failure(i, failing[i]) if i in failing else CheckResult(check_by_id(i), "pass")
        for i in stage_1_ids()
    ]
    return run


FIVE_FAILURES = {
    "01-cli/list-json": "the output is not valid JSON",
    "01-cli/show-by-id": "show printed nothing",
    "01-cli/delete-by-id": "delete kept the record",
    "01-cli/summary": "the summary is not the sum",
    "01-cli/own-tests-pass": "your own tests do not pass",
}


def lines_of(check_id: str, text: str) -> list[str]:
    """The lines that belong to one check: its own and its details."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if f" {check_id} " in line)
    end = start + 1
    while end < len(lines) and lines[end].startswith("      "):
        end += 1
    return lines[start:end]


def test_only_the_first_three_failures_are_shown_in_full_and_the_rest_are_counted():
    text = terminal.render(a_run(FIVE_FAILURES), Style(width=80), reports=True)
    shown = [i for i in FIVE_FAILURES if any("problem" in line for line in lines_of(i, text))]
    assert shown == list(FIVE_FAILURES)[: terminal.DETAILED]
    assert lines_of("01-cli/summary", text) == ["    ✗ 01-cli/summary — the summary is not the sum"]
    assert "2 more failures are shown on one line only: add --verbose" in " ".join(text.split())
    assert "report.md" in text


def test_advice_shown_on_one_line_is_counted_as_advice_not_as_a_failure():
    # 01-cli/code-organization is advisory: it never fails the stage
    three = dict(list(FIVE_FAILURES.items())[:3])
    failing = {**three, "01-cli/code-organization": "one module does everything"}
    text = " ".join(terminal.render(a_run(failing), Style(width=80)).split())
    assert "1 more piece of advice is shown on one line only: add --verbose" in text
    assert "more failure" not in text
    failing["01-cli/summary"] = "the summary is not the sum"
    text = " ".join(terminal.render(a_run(failing), Style(width=80)).split())
    assert "1 more failure and 1 piece of advice are shown on one line only" in text


def test_verbose_shows_every_failure_in_full_and_hides_none():
    text = terminal.render(a_run(FIVE_FAILURES), Style(width=80, verbose=True))
    for check_id in FIVE_FAILURES:
        assert any(line.strip().startswith("problem") for line in lines_of(check_id, text))
    assert "more failure" not in text


def test_a_required_failure_is_shown_in_full_before_an_advisory_one():
    failing = {"01-cli/code-organization": "one module", **FIVE_FAILURES}
    text = terminal.render(a_run(failing), Style(width=100))
    assert lines_of("01-cli/code-organization", text) == [
        "    ~ 01-cli/code-organization (advisory) — one module"
    ]


def test_every_line_fits_the_width_but_commands_and_program_output_stay_verbatim():
    run = a_run(FIVE_FAILURES)
    for width in (60, 80, 120):
        text = terminal.render(run, Style(width=width))
        for line in text.splitlines():
            verbatim = re.match(r" +(ran|got|try) {6}| {18}\S", line)
            assert len(line) <= width or verbatim or "https://" in line, (width, line)
        assert "    expense-tracker list --json" in text  # the command, whole, to paste


TRACEBACK = (
    "exit code 1\nstdout: (empty)\nstderr: Traceback (most recent call last):\n"
    '  File "/home/learner/project/src/expense_tracker/cli.py", line 3, in <module>\n'
    "ValueError: the amount must be a number with at most two decimal places, not twelve"
)


@pytest.mark.parametrize("width", [60, 100])
def test_a_programs_output_under_got_stays_under_its_stream_label(width):
    run = a_run({"01-cli/list-json": "crashed"})
    run.results[[r.check.id for r in run.results].index("01-cli/list-json")].got = TRACEBACK
    got = lines_of("01-cli/list-json", terminal.render(run, Style(width=width)))
    start = next(i for i, line in enumerate(got) if line.strip().startswith("got"))
    stderr = got[start + 2]
    assert stderr.strip() == "stderr: Traceback (most recent call last):"
    under = stderr.index("Traceback")  # stderr's text starts here; so does each line of it
    rest = got[start + 3 : next(i for i, line in enumerate(got) if "expected" in line)]
    assert len(rest) >= 2 and all(line[:under].isspace() for line in rest), rest
    assert all(len(line) <= width for line in rest), rest
    assert "".join(line[under:] for line in rest).replace(" ", "") == (
        TRACEBACK.split("\n", 3)[3].replace("\n", "").replace(" ", "")
    )  # nothing lost or reordered, only cut


def test_continuation_lines_keep_the_label_indent():
    text = terminal.render(a_run(FIVE_FAILURES), Style(width=60))
    fix = lines_of("01-cli/list-json", text)
    at = next(i for i, line in enumerate(fix) if line.strip().startswith("fix"))
    column = fix[at].index("make")
    assert fix[at + 1].startswith(" " * column) and fix[at + 1][column] != " "


def test_checks_are_grouped_under_the_milestones_of_the_brief():
    text = terminal.render(a_run(), Style())
    lines = text.splitlines()
    summary = lines.index(next(line for line in lines if "01-cli/summary" in line))
    assert lines[summary - 1] == "  Milestone 5 · The summary"
    headers = [line.strip() for line in lines if line.startswith("  Milestone")]
    assert headers[0] == "Milestone 1 · It installs and answers `--help`"
    numbers = [int(h.split()[1]) for h in headers]
    assert numbers == sorted(numbers)


def test_a_run_ends_with_the_position_and_the_next_step():
    text = terminal.render(a_run(FIVE_FAILURES), Style())
    *_, position, step = text.splitlines()
    assert position == "Stage 1: 9 of 14 required checks pass."
    assert step == "Next: fix 01-cli/list-json — the output is not valid JSON"


def test_past_stage_1_the_position_says_the_count_holds_the_earlier_stages_checks():
    """At stage 2 the run grades stage 1's checks too: "14 of 22" must not read as
    stage 2's own."""
    stage_2 = a_run(FIVE_FAILURES)
    stage_2.stage = 2
    *_, position, _ = terminal.render(stage_2, Style()).splitlines()
    assert position == "Stage 2: 9 of 14 required checks (stages 1 to 2) pass."
    assert (
        stage_2.verdict == "Stage 2 not complete yet: 9 of 14 required checks (stages 1 to 2) pass."
    )
    chosen = a_run(FIVE_FAILURES, partial=True)
    chosen.stage = 2
    assert "(stages" not in terminal.render(chosen, Style())  # --only: the chosen checks


def test_the_position_counts_what_changed_since_the_last_run_and_names_a_regression():
    change = Change(("01-cli/help", "01-cli/installs", "01-cli/summary"), ("01-cli/list-json",))
    text = terminal.render(a_run(FIVE_FAILURES), Style(), change)
    assert "Stage 1: 9 of 14 required checks pass (+3, -1 since your last run)." in text
    assert "Passed on your last run, failing now: 01-cli/list-json." in text
    quiet = terminal.render(a_run(FIVE_FAILURES), Style(), Change((), ()))
    assert "(no change since your last run)" in quiet and "Passed on your" not in quiet


def test_a_complete_stage_points_to_the_next_stage_or_to_the_whole_stage_after_only():
    text = terminal.render(a_run(), Style(), Change(("01-cli/summary",), ()))
    assert "Stage 1 complete: all 14 required checks pass (+1 since your last run)." in text
    assert "Next: stage 2 · Layers on SQLite. Set stage = 2 under [tool.roadmap]" in text
    partial = terminal.render(a_run(partial=True), Style())
    assert "Next: run again without --only to check the whole stage." in partial


def test_colour_marks_the_status_and_never_changes_the_words():
    run = a_run(FIVE_FAILURES)
    plain = terminal.render(run, Style(width=80))
    coloured = terminal.render(run, Style(width=80, colour=True))
    assert ESCAPE.sub("", coloured) == plain
    assert "\x1b[32m✓ \x1b[0m01-cli/installs" in coloured
    assert "\x1b[31m✗ \x1b[0m01-cli/list-json" in coloured
    assert "\x1b" not in plain


def test_escape_sequences_from_a_learner_program_never_reach_the_terminal():
    run = a_run({"01-cli/list-json": "bad"})
    (listing,) = [r for r in run.results if r.check.id == "01-cli/list-json"]
    listing.got = "\x1b[2J\x1b]0;a title\x07red\x1b[31m"
    assert "\x1b" not in terminal.render(run, Style(verbose=True))
    coloured = terminal.render(run, Style(width=60, colour=True, verbose=True))
    assert "got       \x1b[0mred\n" in coloured
    for learners in ("\x1b[2J", "\x1b]0;", "\x07", "red\x1b[31m"):
        assert learners not in coloured


class FakeStream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(
    ("tty", "environ", "colour"),
    [
        (True, {}, True),
        (False, {}, False),  # piped: into a file, less, a CI log
        (True, {"NO_COLOR": "1"}, False),
        (True, {"NO_COLOR": ""}, True),  # no-color.org: set and not empty
        (True, {"CI": "true"}, False),
        (True, {"TERM": "dumb"}, False),
        (False, {"FORCE_COLOR": "1"}, True),
        (False, {"FORCE_COLOR": "1", "CI": "true"}, True),
        (True, {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        (True, {"FORCE_COLOR": "0"}, True),  # 0 forces nothing
    ],
)
def test_colour_on_a_terminal_none_under_no_color_in_ci_or_piped_unless_forced(
    tty, environ, colour
):
    assert Style.detect(FakeStream(tty), environ, verbose=False).colour is colour


def test_the_width_is_columns_else_the_terminal_else_none_when_piped():
    assert Style.detect(FakeStream(False), {"COLUMNS": "120"}, verbose=False).width == 120
    assert Style.detect(FakeStream(False), {"COLUMNS": "12"}, verbose=False).width == 40
    assert Style.detect(FakeStream(False), {}, verbose=False).width is None
    assert Style.detect(FakeStream(False), {"COLUMNS": "wide"}, verbose=False).width is None


def test_a_measurement_not_taken_says_not_measured_where_others_say_does_not_apply():
    from checks.harness.failure import NotMeasured
    from checks.report import junit, markdown

    run = a_run()
    run.stage = 5  # stage 1's checks and one of stage 5: only their rendering counts here
    mutation = check_by_id("05-quality/mutation-score")
    reason = str(NotMeasured("add --mutation to measure it"))
    run.results.append(CheckResult(mutation, "not-applicable", not_applicable=reason))
    run.results.append(
        CheckResult(check_by_id("01-cli/help"), "not-applicable", not_applicable="cli = false")
    )
    for text in (
        terminal.render(run, Style(width=200)),
        markdown.render(run),
        junit.render(run),
    ):
        assert "not measured: add --mutation to measure it" in text
        assert "does not apply: not measured" not in text
        assert "does not apply: cli = false" in text


def test_checks_chosen_with_only_never_call_the_stage_complete():
    run = a_run(partial=True)
    run.results = [r for r in run.results if r.check.id == "01-cli/summary"]

    text = " ".join(terminal.render(run, Style(width=80)).split())

    chosen = "The required check you chose with --only passes; the rest of stage 1 was not checked."
    assert chosen in text
    assert "complete" not in text
    assert "Next: run again without --only to check the whole stage." in text


def test_only_advisory_checks_chosen_with_only_are_called_advisory_not_counted():
    run = a_run(partial=True)
    run.results = [r for r in run.results if r.check.id == "01-cli/code-organization"]

    text = " ".join(terminal.render(run, Style(width=80)).split())

    assert "You chose only advisory checks with --only, which never hold a stage back" in text
    assert "0 required" not in text


CONTAINMENT = (
    "Containment: learner programs ran in their own PID and mount namespaces as an "
    "unprivileged user (uid 61000), with a private /tmp, at most 2048 MiB of memory (cgroup)."
)
IN_BRIEF = "Your programs ran sandboxed: no network, a private /tmp, limited memory"


def test_a_note_for_mentors_is_one_plain_sentence_in_the_terminal_and_whole_in_report_md():
    run = a_run(notes=["Dependencies: installed as uv.lock pins them.", CONTAINMENT])
    run.briefs = {CONTAINMENT: IN_BRIEF}

    shown = " ".join(terminal.render(run, Style(width=80), reports=True).split())
    assert f"Note: {IN_BRIEF}; report.md has the details." in shown
    assert "namespaces" not in shown and "cgroup" not in shown
    assert "Note: Dependencies: installed as uv.lock pins them." in shown  # has no brief
    assert f"> **Note:** {CONTAINMENT}" in markdown.render(run)
    document = json.loads(exercism.render(run))
    assert CONTAINMENT in document["notes"]
    assert document["notes_in_brief"] == {CONTAINMENT: IN_BRIEF}


def test_without_a_report_md_to_point_at_the_terminal_keeps_the_note_whole():
    run = a_run(notes=[CONTAINMENT])
    run.briefs = {CONTAINMENT: IN_BRIEF}

    shown = " ".join(terminal.render(run, Style(width=80), reports=False).split())
    assert f"Note: {CONTAINMENT}" in shown and "report.md has the details" not in shown
