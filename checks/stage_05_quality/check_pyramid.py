"""A test pyramid: fast unit tests without a database, and coverage the checker measures."""

from checks.harness.catalog import check
from checks.harness.doors.tools import coverage
from checks.harness.doors.tools.learner_tests import pytest_summary, run_pytest, whole_suite
from checks.harness.failure import Blocked, CheckFailed, outcome
from checks.harness.manifest import Manifest
from checks.harness.process import Completed
from checks.harness.settings import Settings
from checks.harness.workspace import Workspace

MIN_UNIT_TESTS = 3
# A database nobody listens on: a test that needs one fails at once, it never hangs.
CLOSED = "postgresql+psycopg://nobody:none@127.0.0.1:9/no_database"
SUITE = "01-cli/own-tests-pass"


@check("unit-tests-without-database")
def check_unit_tests_without_database(
    installed: Workspace, manifest: Manifest, run_settings: Settings, tools: Completed
) -> None:
    """Your unit tests (tests/unit) pass with the database unreachable: at least 3 of them.

    Why: unit tests are the base of the pyramid: hundreds of them run in seconds, on any
    laptop, because they test your rules with fakes instead of a database. A "unit" test
    that needs PostgreSQL is an integration test: slow, and it fails for reasons that are
    not the rule it tests.

    Fix: test the services with a fake repository or unit of work (a class with the same
    methods that keeps records in a dict), in the folder [tool.roadmap.quality] unit_tests
    names; keep the tests that need a real database in tests/integration.
    """
    folder = manifest.quality.unit_tests
    if not (installed.pristine / folder).is_dir():
        raise CheckFailed(
            f"your project has no {folder}/ folder of unit tests",
            expected=f"unit tests in {folder}/ (or the folder unit_tests names in "
            "[tool.roadmap.quality])",
        )
    tests = run_pytest(
        installed, manifest, folder, timeout=run_settings.tests_timeout, database=CLOSED
    )
    variable = manifest.database.url_env
    ran = f"{variable}={CLOSED} python -m pytest {folder}"
    if tests.result.exit_code == 5 or tests.passed < MIN_UNIT_TESTS:
        raise CheckFailed(
            f"{folder}/ holds {tests.passed} passing unit test(s)",
            ran=ran,
            got=pytest_summary(tests.result.stdout) or outcome(tests.result),
            expected=f"at least {MIN_UNIT_TESTS} unit tests of your services",
        )
    if not tests.result.ok:
        raise CheckFailed(
            "your unit tests fail when no database can be reached",
            ran=ran,
            got=pytest_summary(tests.result.stdout) or outcome(tests.result),
            expected=f"every test in {folder}/ to pass without a database",
        )


@check("coverage-threshold")
def check_coverage_threshold(
    installed: Workspace, manifest: Manifest, run_settings: Settings, tools: Completed
) -> None:
    """Your tests reach the coverage threshold, 80 % of branches by default, as the checker counts.

    Why: coverage is a signal, not a target: a line no test runs is a line no test
    protects. Measured with branches, an `if` whose `else` never runs shows up. The
    checker measures it with its own settings, so an `omit` or a `# pragma: no cover`
    cannot move the bar.

    Fix: read the least covered modules below; add tests for the behaviour those lines
    implement (an error path, an empty listing, a missing record), not for the lines'
    sake. Run `coverage run --branch -m pytest && coverage report -m` to see it yourself.
    """
    suite = whole_suite(installed, manifest, tools, run_settings)
    if not suite.result.ok:
        raise Blocked(SUITE, "your own tests do not pass, so their coverage is not measured")
    threshold = manifest.quality.coverage
    if suite.coverage is None:
        raise CheckFailed(
            "coverage measured nothing: your tests never imported your package",
            ran="python -m coverage run --branch -m pytest",
            expected=f"your package {', '.join(coverage.sources(manifest))} run by your tests",
        )
    measured = coverage.Measured.from_data(suite.coverage)
    if measured.percent < threshold:
        lowest = measured.least_covered()
        raise CheckFailed(
            f"your tests cover {measured.percent:.1f} % of your code's branches, below "
            f"{threshold} %",
            ran="python -m coverage run --branch -m pytest && python -m coverage report -m",
            got="\n".join(
                f"{f.path}: {f.percent:.0f} %, not reached: lines {f.ranges()}" for f in lowest
            ),
            expected=f"at least {threshold} % (coverage in [tool.roadmap.quality]; never below 60)",
        )
