"""What only stage 1 proves: the fresh starter fails it with a known set of checks."""

import pytest

from checks.course import mutants
from checks.harness.catalog import STAGES
from tests.conftest import run_checker

pytestmark = pytest.mark.slow
STAGE = STAGES[1]

# What a fresh starter cannot do yet: everything but installing and answering --help.
STARTER_FAILS = {
    "01-cli/uses-data-file",
    "01-cli/add-then-list",
    "01-cli/list-json",
    "01-cli/show-by-id",
    "01-cli/delete-by-id",
    "01-cli/ids-stay-unique",
    "01-cli/show-unknown-id",
    "01-cli/delete-unknown-id",
    "01-cli/rejects-invalid-value",
    "01-cli/rejects-missing-field",
    "01-cli/summary",
    "01-cli/own-tests-pass",
    "01-cli/code-organization",
}

STARTER_OWN_FAILURES = {
    "01-cli/add-then-list",
    "01-cli/list-json",
    "01-cli/own-tests-pass",
    "01-cli/code-organization",
}


def test_the_fresh_starter_fails_stage_1_with_the_known_checks(starter, tmp_path):
    run = run_checker(starter, tmp_path / "report")
    assert run.exit_code == 1, run.stdout + run.stderr
    assert run.failed() == STARTER_FAILS
    # One cause, one failure: the starter's `add` and `list` are stubs, and every check that
    # stands on them says it was blocked instead of failing a second time.
    own = {i for i, s in run.statuses().items() if s == "fail"}
    assert own == STARTER_OWN_FAILURES
    assert "2 of 14 required checks pass, 9 not checked (blocked by a failure)." in run.stdout
    assert "Next: fix 01-cli/add-then-list — the command failed while adding an expense" in (
        run.stdout
    )
    # The check `Next:` names ran nothing itself (the run's seed did): its lines to paste
    # come with the failure, and say that `list` never ran.
    (first,) = [t for t in run.results["tests"] if t["id"] == "01-cli/add-then-list"]
    export, add, listing = first["test_code"].split("\n")
    assert export == "export DATA_FILE=$(mktemp -d)/data.json"
    assert add.startswith("expense-tracker add --amount ") and add.endswith("  # → exit 2")
    assert listing == "expense-tracker list --json  # not run: the add failed"


def test_a_program_that_never_saves_is_graded_without_a_checker_error(
    reference_1, copy_of, tmp_path
):
    (mutant,) = [m for m in mutants.of_stage(STAGE) if m.path.stem == "01-add-never-saves"]
    project = copy_of(reference_1)
    mutant.apply(project)
    run = run_checker(project, tmp_path / "report")
    assert run.exit_code == 1, run.stdout + run.stderr
    assert "error" not in run.statuses().values()


def test_commands_not_written_yet_leave_their_not_found_checks_blocked_not_passed(
    reference_1, copy_of, tmp_path
):
    # A learner at milestone 2 has `add` and `list` only: argparse refuses `show 1003`
    # with "invalid choice" and exit 2, which is no "not found" answer.
    project = copy_of(reference_1)
    cli = project / "src" / "expense_tracker" / "cli.py"
    text = cli.read_text()
    start, end = text.index('    show = commands.add_parser("show"'), text.index("    summary =")
    cli.write_text(text[:start] + text[end:])
    only = ["--only", "01-cli/show-by-id", "--only", "01-cli/delete-by-id"]
    only += ["--only", "01-cli/show-unknown-id", "--only", "01-cli/delete-unknown-id"]

    run = run_checker(project, tmp_path / "report", *only)

    assert run.statuses() == {
        "01-cli/show-by-id": "fail",
        "01-cli/delete-by-id": "fail",
        "01-cli/show-unknown-id": "blocked",
        "01-cli/delete-unknown-id": "blocked",
    }, run.stdout
    assert "blocked by 01-cli/show-by-id" in run.stdout
    assert "blocked by 01-cli/delete-by-id" in run.stdout
