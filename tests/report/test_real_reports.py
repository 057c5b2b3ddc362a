"""What the checker really writes is what the tools that read it accept: results.json is
valid Exercism v3 (ADR 14) and junit.xml parses as CI systems read it.

One real run: the stage-1 reference with two planted defects, `list --json` printing a
Python list (a required failure that blocks most of the stage) and the summary reading
the data file in cli.py (an advisory failure). And one run that cannot check at all.
"""

import shutil

import pytest

from checks.course import mutants
from checks.harness.catalog import STAGES
from checks.report.exercism import checks_of
from tests.conftest import run_checker
from tests.report.validate import assert_junit_xml, assert_results_json

pytestmark = pytest.mark.slow
DEFECTS = ("04-list-json-prints-python-repr", "16-summary-reads-the-file-itself")


@pytest.fixture(scope="module")
def broken_run(reference_1, tmp_path_factory):
    project = tmp_path_factory.mktemp("broken") / "expense-tracker"
    shutil.copytree(reference_1, project)
    for mutant in mutants.of_stage(STAGES[1]):
        if mutant.path.stem in DEFECTS:
            mutant.apply(project)
    return run_checker(project, tmp_path_factory.mktemp("broken-report"), "--seed", "7")


def test_a_run_with_failed_blocked_and_advisory_checks_writes_valid_v3(broken_run):
    document = broken_run.results
    assert broken_run.exit_code == 1, broken_run.stdout + broken_run.stderr

    assert_results_json(document)

    kinds = {(c["roadmap_status"], c["required"]) for c in checks_of(document)}
    assert {("pass", True), ("fail", True), ("blocked", True), ("fail", False)} <= kinds
    assert (document["status"], document["roadmap_status"]) == ("fail", "fail")
    blocked = [c for c in document["tests"] if c["roadmap_status"] == "blocked"]
    assert {c["blocked_by"] for c in blocked} == {"01-cli/list-json"}
    list_json = next(c for c in document["tests"] if c["id"] == "01-cli/list-json")
    assert "expense-tracker list --json" in list_json["test_code"]


def test_the_same_run_writes_a_junit_xml_whose_counts_agree_with_its_cases(broken_run):
    root = assert_junit_xml((broken_run.report_dir / "junit.xml").read_text("utf-8"))

    statuses = broken_run.statuses()
    skipped = [s for s in statuses.values() if s in ("blocked", "not-applicable")]
    assert int(root.get("tests")) == len(statuses)
    assert int(root.get("skipped")) == len(skipped) + 1  # and the failed advisory check


def test_a_repository_that_cannot_be_checked_writes_v3_error_and_a_junit_error(tmp_path):
    project = tmp_path / "not-a-project"
    project.mkdir()

    run = run_checker(project, tmp_path / "report")

    assert run.exit_code == 2
    assert_results_json(run.results)
    assert (run.results["status"], run.results["roadmap_status"]) == ("error", "error")
    assert "pyproject.toml" in run.results["message"]
    root = assert_junit_xml((run.report_dir / "junit.xml").read_text("utf-8"))
    assert root.get("errors") == "1"
