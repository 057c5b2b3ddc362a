"""Every finished stage is proved: its reference passes, and each of its mutants is caught.

A check is only worth something if the reference passes it and some defect fails it.
"""

import pytest

from checks.course import mutants
from checks.course.paths import finished_stages
from checks.harness.catalog import STAGES, all_checks
from tests.conftest import require_postgres, run_checker

pytestmark = pytest.mark.slow
FINISHED = [stage.number for stage in finished_stages()]
POSTGRES_FROM = 4
FIRST_NEW = {  # by stage: a check the previous stage's reference must fail
    2: "02-layers/manifest-table",
    3: "03-api/manifest-table",
    4: "04-auth/manifest-table",
    5: "05-quality/health-pass",  # no /health before stage 5
    6: "06-deploy/dockerfile-lint",  # no Dockerfile before stage 6
    7: "07-jobs/manifest-table",
}
OPT_IN = {
    "05-quality/mutation-score",  # not measured unless asked for (--mutation)
    "06-deploy/image-builds",  # needs a container engine, which this machine may not have
}


@pytest.mark.parametrize("stage", FINISHED)
def test_the_reference_passes_every_check_through_its_stage_untouched(stage, reference_run):
    if stage >= POSTGRES_FROM:
        require_postgres()
    checked = reference_run(stage)  # shared with the test that pastes its `try` lines
    run = checked.run
    assert run.exit_code == 0, run.stdout + run.stderr
    statuses = run.statuses()
    assert run.failed() - OPT_IN == set(), run.stdout
    assert {statuses[check] for check in OPT_IN if check in statuses} <= {"not-applicable", "pass"}
    assert {t["stage"] for t in run.results["tests"]} == set(range(1, stage + 1))
    assert checked.untouched


@pytest.mark.parametrize(
    "stage", [n for n in FINISHED if n + 1 in STAGES and STAGES[n + 1].written]
)
def test_the_reference_does_not_pass_the_next_stage(stage, reference, tmp_path):
    # The first thing the next stage asks for, which the reference of this one lacks: each
    # of the next stage's checks is proved by its mutants, so one is enough here.
    first_new = FIRST_NEW[stage + 1]
    run = run_checker(
        reference(stage), tmp_path / "report", "--stage", str(stage + 1), "--only", first_new
    )
    assert run.exit_code == 1, run.stdout + run.stderr
    assert run.results["status"] != "pass"
    assert run.statuses() == {first_new: "fail"}, run.stdout


@pytest.mark.parametrize("mutant", mutants.every_mutant(), ids=lambda m: m.name)
def test_every_mutant_is_caught_by_the_check_it_names(mutant, reference, copy_of, tmp_path):
    if mutant.stage.number >= POSTGRES_FROM:
        require_postgres()
    project = copy_of(reference(mutant.stage.number))
    mutant.apply(project)
    run = run_checker(project, tmp_path / "report", "--only", mutant.caught_by)
    assert run.statuses() == {mutant.caught_by: "fail"}, run.stdout + run.stderr
    required = next(t["required"] for t in run.results["tests"])
    assert run.exit_code == (1 if required else 0)
    assert run.message(mutant.caught_by).strip(), "a failure must tell the learner something"
    assert run.stderr == "", "the checker itself must not complain or crash"


@pytest.mark.parametrize("stage", FINISHED)
def test_each_finished_stage_has_six_mutants_naming_real_checks(stage):
    known = {check.id for check in all_checks()}
    stage_mutants = mutants.of_stage(STAGES[stage])
    assert len(stage_mutants) >= 6
    assert {m.caught_by for m in stage_mutants} <= known
