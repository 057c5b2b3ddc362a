"""Golden reports: what a learner reads for one mutant and for a fresh starter, compared with
stored copies.

A change to a message shows up here as a diff to review. To accept it on purpose:
    UPDATE_GOLDEN=1 ./nox -s tests -- tests/report/test_golden.py

Each project is checked once, for real. The terminal at other widths, in colour and with
--verbose is the same run's results.json rendered again by the terminal's own code.
"""

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest

from checks.course import mutants
from checks.harness.catalog import STAGES
from checks.report import terminal
from tests.conftest import run_checker
from tests.report.runs import run_from_results
from tests.report.validate import assert_junit_xml, assert_results_json

pytestmark = pytest.mark.slow
GOLDEN = Path(__file__).parent / "golden"
MUTANT = "13-summary-counts-instead-of-sums"
STANDARD_TERMINAL = {"COLUMNS": "80"}
THIS_MACHINE = "Containment: <this machine's>"
IN_BRIEF = "Your programs ran <as this machine allows>"  # the terminal's sentence for it


def normalize(text: str, report_dir: Path) -> str:
    """Hide what differs between machines and runs: temp paths, the report folder, times."""
    text = text.replace(str(report_dir), "<reports>")
    temp = re.escape(tempfile.gettempdir())
    text = re.sub(temp + r"/roadmap-check-[\w]+", "<workspace>", text)
    text = re.sub(r"[/\w.-]*/roadmap-check-[\w]+", "<workspace>", text)
    # which containment held depends on the machine (root, user namespaces, neither); the
    # terminal wraps the note, under "Note: "
    text = re.sub(r"Containment: [^\n]*(\n {6}\S[^\n]*)*", THIS_MACHINE, text)
    text = re.sub(r"Your programs ran [^;]*(?=;\s+report\.md\s)", IN_BRIEF, text)
    return re.sub(r" in \d+\.\d+s\b", " in <seconds>s", text)


def compare(golden: str, actual: str) -> None:
    path = GOLDEN / golden
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(actual)
    assert actual == path.read_text()


@pytest.fixture(scope="module")
def mutant_run(reference_1, tmp_path_factory):
    (mutant,) = [m for m in mutants.of_stage(STAGES[1]) if m.path.stem == MUTANT]
    project = tmp_path_factory.mktemp("golden") / "expense-tracker"
    shutil.copytree(reference_1, project)
    mutant.apply(project)
    report_dir = tmp_path_factory.mktemp("golden-report")
    return run_checker(project, report_dir, "--seed", "7", env=STANDARD_TERMINAL)


@pytest.fixture(scope="module")
def starter_run(starter, tmp_path_factory):
    """A learner's first run: most checks fail or are blocked, more than are shown in full."""
    report_dir = tmp_path_factory.mktemp("golden-starter-report")
    return run_checker(starter, report_dir, "--seed", "7", env=STANDARD_TERMINAL)


@pytest.mark.parametrize(
    ("golden", "produce"),
    [
        ("terminal.txt", lambda run: run.stdout),
        ("report.md", lambda run: (run.report_dir / "report.md").read_text()),
    ],
)
def test_the_report_for_a_wrong_summary_matches_the_golden_copy(mutant_run, golden, produce):
    compare(golden, normalize(produce(mutant_run), mutant_run.report_dir))


def test_a_first_run_on_an_80_column_terminal_matches_the_golden_copy(starter_run):
    compare("terminal-starter.txt", normalize(starter_run.stdout, starter_run.report_dir))


@pytest.mark.parametrize(
    ("golden", "style"),
    [
        ("terminal-starter-60.txt", terminal.Style(width=60)),
        ("terminal-starter-120-colour.txt", terminal.Style(width=120, colour=True)),
        ("terminal-starter-verbose.txt", terminal.Style(width=80, verbose=True)),
        ("terminal-starter-piped.txt", terminal.Style()),
    ],
    ids=["narrow", "wide-colour", "verbose", "piped"],
)
def test_the_same_first_run_at_other_widths_in_colour_and_verbose_matches(
    starter_run, golden, style
):
    run = run_from_results(starter_run.results)
    run.notes = [THIS_MACHINE if n.startswith("Containment:") else n for n in run.notes]
    run.briefs = {THIS_MACHINE: IN_BRIEF}
    text = terminal.render(run, style, reports=True)
    compare(golden, normalize(text, starter_run.report_dir))


def test_the_rebuilt_run_renders_exactly_as_the_checker_printed_it(starter_run):
    """The goldens above are only as good as the rebuilding: the same style gives the
    same text the checker printed."""
    run = run_from_results(json.loads((starter_run.report_dir / "results.json").read_text()))
    text = terminal.render(run, terminal.Style(width=80), reports=True)
    assert starter_run.stdout == text + f"Reports: {starter_run.report_dir}\n"


def test_the_golden_runs_write_valid_results_json_and_junit_xml(mutant_run, starter_run):
    for run in (mutant_run, starter_run):
        assert_results_json(run.results)
        assert_junit_xml((run.report_dir / "junit.xml").read_text("utf-8"))


# Moving on: stage 1 complete, then `stage = 2` set before the layers table -------------


@pytest.fixture(scope="module")
def transition(reference_1, tmp_path_factory):
    """The same project, checked complete at stage 1, then as the learner raises `stage`."""
    project = tmp_path_factory.mktemp("transition") / "expense-tracker"
    shutil.copytree(reference_1, project)
    report_dir = tmp_path_factory.mktemp("transition-report")
    complete = run_checker(project, report_dir, "--seed", "7", env=STANDARD_TERMINAL)
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("stage = 1 ", "stage = 2 ", 1))
    raised = run_checker(project, report_dir, "--seed", "7", env=STANDARD_TERMINAL)
    return complete, raised


def test_a_complete_stage_names_the_next_table_and_where_the_brief_starts(transition):
    complete, _ = transition
    assert complete.exit_code == 0, complete.stdout
    last = normalize(complete.stdout, complete.report_dir).split("\n\n")[-1]
    compare("terminal-stage-1-complete.txt", last)


def test_raising_the_stage_before_its_table_is_one_failing_check_not_exit_2(transition):
    _, raised = transition
    assert raised.exit_code == 1, raised.stdout + raised.stderr
    statuses = raised.statuses()
    assert statuses.pop("02-layers/manifest-table") == "fail"
    stage_2 = {k: v for k, v in statuses.items() if k.startswith("02-layers/")}
    assert set(stage_2.values()) == {"blocked"}
    assert all(v == "pass" for k, v in statuses.items() if k.startswith("01-cli/"))
    assert 'cli = ["expense_tracker.cli"]' in raised.message("02-layers/manifest-table")
    compare("terminal-stage-2-started.txt", normalize(raised.stdout, raised.report_dir))
