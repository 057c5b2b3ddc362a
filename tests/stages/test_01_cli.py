"""Stage 1 is proved: the reference passes, the starter fails as expected, mutants are caught."""

import pytest

from checks.course import mutants
from checks.harness.catalog import STAGES
from tests.conftest import run_checker, snapshot

pytestmark = pytest.mark.slow
STAGE = STAGES[1]

# What a fresh starter cannot do yet: everything but installing and answering --help.
STARTER_FAILS = {
    "01-cli/uses-data-file",
    "01-cli/add-then-list",
    "01-cli/list-json",
    "01-cli/show-by-id",
    "01-cli/delete-by-id",
    "01-cli/show-unknown-id",
    "01-cli/delete-unknown-id",
    "01-cli/rejects-invalid-value",
    "01-cli/rejects-missing-field",
    "01-cli/summary",
    "01-cli/own-tests-pass",
    "01-cli/code-organization",
}


def test_the_reference_passes_every_stage_1_check_and_is_left_untouched(reference_1, tmp_path):
    before = snapshot(reference_1)
    run = run_checker(reference_1, tmp_path / "report")
    assert run.exit_code == 0, run.stdout + run.stderr
    assert run.failed() == set()
    assert run.results["status"] == "pass"
    assert snapshot(reference_1) == before


def test_the_fresh_starter_fails_stage_1_with_the_known_checks(starter, tmp_path):
    run = run_checker(starter, tmp_path / "report")
    assert run.exit_code == 1, run.stdout + run.stderr
    assert run.failed() == STARTER_FAILS
    assert "Stage 1 not complete yet: 2 of 13 required checks pass." in run.stdout


@pytest.mark.parametrize("mutant", mutants.of_stage(STAGE), ids=lambda m: m.path.stem)
def test_every_mutant_is_caught_by_the_check_it_names(mutant, reference_1, copy_of, tmp_path):
    project = copy_of(reference_1)
    mutant.apply(project)
    run = run_checker(project, tmp_path / "report", "--only", mutant.caught_by)
    assert run.statuses() == {mutant.caught_by: "fail"}, run.stdout + run.stderr
    required = next(t["required"] for t in run.results["tests"])
    assert run.exit_code == (1 if required else 0)
    assert run.message(mutant.caught_by).strip(), "a failure must tell the learner something"
    assert run.stderr == "", "the checker itself must not complain or crash"


def test_stage_1_has_at_least_six_mutants_each_naming_a_real_check():
    from checks.harness.catalog import all_checks

    known = {check.id for check in all_checks()}
    stage_mutants = mutants.of_stage(STAGE)
    assert len(stage_mutants) >= 6
    assert {m.caught_by for m in stage_mutants} <= known


def test_a_program_that_never_saves_is_graded_without_a_checker_error(
    reference_1, copy_of, tmp_path
):
    (mutant,) = [m for m in mutants.of_stage(STAGE) if m.path.stem == "01-add-never-saves"]
    project = copy_of(reference_1)
    mutant.apply(project)
    run = run_checker(project, tmp_path / "report")
    assert run.exit_code == 1, run.stdout + run.stderr
    assert "error" not in run.statuses().values()
