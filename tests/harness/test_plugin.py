"""The pytest plugin: how a check's outcome becomes a result, run in a real pytest session.

Each test writes a few throw-away checks into a `stage_01_cli` package (so they take real
check ids from the catalog), runs pytest in process with the plugin, and reads the results
the way the checker does.
"""

from pathlib import Path

import pytest

from checks.harness.plugin import RoadmapPlugin
from checks.harness.results import Run
from checks.harness.settings import Settings
from tests.harness.test_manifest import GOOD

pytest_plugins = ["pytester"]
CHECKS_INI = Path(__file__).parents[2] / "checks" / "pytest.ini"  # how the checker runs

PRELUDE = """
import pytest

from checks.harness.catalog import check
from checks.harness.failure import Blocked, CheckFailed, NotApplicable
"""


def _run(pytester: pytest.Pytester, checks: str) -> Run:
    from checks.harness import manifest

    (pytester.path / "pyproject.toml").write_text(GOOD)
    (pytester.path / "pytest.ini").write_text(CHECKS_INI.read_text())
    package = pytester.mkpydir("stage_01_cli")
    (package / "check_fake.py").write_text(PRELUDE + checks)
    settings = Settings(
        repo=Path(pytester.path),
        manifest=manifest.load(pytester.path),
        stage=1,
        seed=1,
        timeout=5,
    )
    plugin = RoadmapPlugin(settings)
    pytester.runpytest_inprocess("-p", "no:randomly", "-p", "no:cacheprovider", plugins=[plugin])
    return Run("repo", "project", 1, 1, results=plugin.results).resolve()


def _by_id(run: Run) -> dict[str, tuple[str, str | None]]:
    return {r.check.id: (r.status, r.problem) for r in run.results}


def test_a_check_that_returns_passes_and_one_that_raises_check_failed_fails(pytester):
    run = _run(
        pytester,
        """
@check("help")
def check_help():
    "Help works."

@check("list-json")
def check_list_json():
    "Lists."
    raise CheckFailed("the listing is not JSON", ran="et list", got="(empty)", expected="[]")
""",
    )
    results = {r.check.id: r for r in run.results}
    assert results["01-cli/help"].status == "pass"
    failed = results["01-cli/list-json"]
    assert (failed.status, failed.problem) == ("fail", "the listing is not JSON")
    assert (failed.ran, failed.got, failed.expected) == ("et list", "(empty)", "[]")
    assert run.exit_code == 1


def test_an_unexpected_exception_inside_a_check_is_the_checkers_error_not_the_learners(
    pytester,
):
    run = _run(
        pytester,
        """
@check("help")
def check_help():
    "Help works."
    {}["missing"]
""",
    )
    status, problem = _by_id(run)["01-cli/help"]
    assert status == "error"
    assert problem == "the checker crashed: KeyError: 'missing'"
    assert run.exit_code == 2


def test_a_check_that_fails_on_a_step_another_failed_check_grades_is_blocked_by_it(pytester):
    run = _run(
        pytester,
        """
@check("add-then-list")
def check_add():
    "Adds."
    raise CheckFailed("add exited with code 1", step="01-cli/add-then-list")

@check("list-json")
def check_list():
    "Lists."
    raise CheckFailed("add exited with code 1", step="01-cli/add-then-list")

@check("show-by-id")
def check_show():
    "Shows."
    raise CheckFailed("list printed nothing", step="01-cli/list-json")
""",
    )
    by_id = {r.check.id: r for r in run.results}
    assert by_id["01-cli/add-then-list"].status == "fail"
    assert (by_id["01-cli/list-json"].status, by_id["01-cli/list-json"].blocked_by) == (
        "blocked",
        "01-cli/add-then-list",
    )
    # show-by-id stood on list-json, which stood on add: it names the root cause once
    assert by_id["01-cli/show-by-id"].blocked_by == "01-cli/add-then-list"
    assert run.verdict.endswith(
        "0 of 3 required checks pass, 2 not checked (blocked by a failure)."
    )
    assert run.next_step == "Next: fix 01-cli/add-then-list — add exited with code 1"


def test_a_failed_step_whose_own_check_passed_stays_a_failure_of_this_check(pytester):
    run = _run(
        pytester,
        """
@check("list-json")
def check_list():
    "Lists."

@check("delete-by-id")
def check_delete():
    "Deletes."
    raise CheckFailed("list crashed after the delete", step="01-cli/list-json")
""",
    )
    assert _by_id(run)["01-cli/delete-by-id"] == ("fail", "list crashed after the delete")
    assert run.next_step == "Next: fix 01-cli/delete-by-id — list crashed after the delete"


def test_a_fixture_that_raises_blocked_blocks_the_check_during_setup(pytester):
    run = _run(
        pytester,
        """
@pytest.fixture
def server():
    raise Blocked("01-cli/installs", "your project did not install")

@check("installs")
def check_installs():
    "Installs."
    raise CheckFailed("your project does not install")

@check("help")
def check_help(server):
    "Help works."
""",
    )
    by_id = {r.check.id: r for r in run.results}
    assert (by_id["01-cli/help"].status, by_id["01-cli/help"].blocked_by) == (
        "blocked",
        "01-cli/installs",
    )


def test_a_check_that_does_not_apply_counts_neither_way(pytester):
    run = _run(
        pytester,
        """
@check("help")
def check_help():
    "Help works."
    raise NotApplicable("this project has no command line")

@check("installs")
def check_installs():
    "Installs."
""",
    )
    help_result = next(r for r in run.results if r.check.id == "01-cli/help")
    assert help_result.status == "not-applicable"
    assert help_result.not_applicable == "this project has no command line"
    assert run.exit_code == 0
    assert run.verdict == "Stage 1 complete: all 1 required checks pass."
