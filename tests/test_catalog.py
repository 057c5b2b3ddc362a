"""The check catalog: every check is documented, unique, and proved able to fail."""

from checks.course import mutants
from checks.harness.catalog import STAGES, all_checks, parse_docstring
from checks.harness.doors.tools.fuzz_outcome import CHECKS as FUZZ_CHECKS
from tests.stages.test_01_cli import STARTER_FAILS

# Checks that only a broken project makes fail (tests/test_cli.py, tests/stages/): the
# advisory measurements of stage 5 by a suite with tests deleted (tests/stages/test_05_gaps).
FAILED_BY_BROKEN_PROJECTS = {"01-cli/installs", "02-layers/git-history"}
# A stage started before its manifest table (tests/stages/test_stage_start.py, and the
# golden transition in tests/report/test_golden.py for stage 2).
FAILED_BY_BROKEN_PROJECTS |= {f"{s}/manifest-table" for s in ("02-layers", "03-api", "04-auth")}
FAILED_BY_BROKEN_PROJECTS |= {"05-quality/test-gap", "05-quality/mutation-score"}
FAILED_BY_BROKEN_PROJECTS |= set(FUZZ_CHECKS)  # tests/stages/test_05_fuzz.py
# Stage 6, until its mutants exist: the planted defects of tests/stages/test_06_deploy.py.
FAILED_BY_BROKEN_PROJECTS |= {
    f"06-deploy/{slug}"
    for slug in (
        "dockerfile-lint", "runs-as-a-user", "has-a-healthcheck", "port-matches",
        "no-secret-in-image", "multi-stage", "dockerignore-covers", "compose-valid",
        "compose-sound", "workflow-valid", "workflow-runs-tests", "workflow-hardened",
        "no-secrets-in-tree", "no-secrets-in-history", "readme-sections",
        "readme-links-resolve", "adrs-linked", "readme-setup-runs", "emulated-boot",
        "image-builds",
    )
}  # fmt: skip
# Stage 7, until its mutants exist: tests/stages/test_07_jobs.py (every check of the stage).
FAILED_BY_BROKEN_PROJECTS |= {
    f"07-jobs/{slug}"
    for slug in (
        "manifest-table", "accepted-202", "status-reaches-succeeded", "retry-after",
        "needs-a-worker", "survives-api-kill", "worker-crash", "failure-recorded",
        "others-jobs-404", "runs-once", "idempotency-key", "no-broker",
    )
}  # fmt: skip


def test_every_check_has_a_criterion_a_why_and_a_fix():
    for check in all_checks():
        assert check.criterion and check.why and check.fix, check.id
        assert len(check.criterion) <= 110, f"{check.id}: keep the criterion to one line"


def test_check_ids_are_unique_and_belong_to_their_stage():
    ids = [check.id for check in all_checks()]
    assert len(ids) == len(set(ids))
    assert all(check.id.startswith(check.stage.slug + "/") for check in all_checks())


def test_every_check_module_is_listed_in_its_stage_order():
    for stage in STAGES.values():
        if stage.written:
            on_disk = set(stage.folder.glob("check_*.py"))
            assert on_disk == set(stage.check_files()), stage.slug


def test_every_check_is_failed_by_the_starter_a_mutant_or_a_broken_project():
    proved = STARTER_FAILS | FAILED_BY_BROKEN_PROJECTS
    proved |= {mutant.caught_by for mutant in mutants.every_mutant()}
    unproved = {check.id for check in all_checks()} - proved
    assert not unproved, f"nothing shows these checks can fail: {sorted(unproved)}"


def test_a_why_paragraph_may_hold_a_line_that_starts_with_a_word_and_colon():
    doc = (
        "Criterion.\n\nWhy: survives a change of\ninterface: the tests keep working.\n\nFix: do it."
    )
    assert parse_docstring(doc) == (
        "Criterion.",
        "survives a change of interface: the tests keep working.",
        "do it.",
    )


def test_no_two_doors_bring_a_fixture_of_the_same_name():
    # A later plugin's fixture silently replaces an earlier one of the same name: a check
    # asking for one door's `deployment` would get another door's.
    import importlib

    from checks.harness import plugin

    seen: dict[str, str] = {}
    for module_name in (plugin.__name__, *plugin.pytest_plugins):
        module = importlib.import_module(module_name)
        for name, value in vars(module).items():
            if type(value).__name__ == "FixtureFunctionDefinition":
                assert name not in seen, f"{name} in both {seen[name]} and {module_name}"
                seen[name] = module_name
    assert "jobs_deployment" in seen and "deployment" in seen
