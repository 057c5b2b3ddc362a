"""The learner's own test suite: it runs, it passes, and there is enough of it."""

from checks.harness.catalog import check
from checks.harness.doors.tools.learner_tests import failing, pytest_summary, whole_suite
from checks.harness.failure import CheckFailed, clip, outcome
from checks.harness.manifest import Manifest
from checks.harness.process import Completed
from checks.harness.settings import Settings
from checks.harness.workspace import Workspace

MIN_TESTS = 5


@check("own-tests-pass")
def check_own_tests_pass(
    installed: Workspace, manifest: Manifest, run_settings: Settings, tools: Completed
) -> None:
    """Your own test suite passes with `pytest` and has at least 5 tests.

    Why: tests are how you (and an employer reading your repo) know a change did not break
    anything. From stage 2 on you will refactor this code; the tests you write now are what
    make that safe.

    Fix: put tests in `tests/test_*.py`, run `pytest` until it is green, and list pytest in
    a dependency group such as `[dependency-groups] dev = ["pytest"]`. Test your modules
    directly (models, storage, summary), not only through the command.
    """
    tests = whole_suite(installed, manifest, tools, run_settings)
    result = tests.result
    if result.exit_code == 5:
        raise CheckFailed(
            "pytest found no tests",
            ran="python -m pytest",
            got=outcome(result),
            expected=f"at least {MIN_TESTS} tests in tests/test_*.py",
        )
    broken = [case for case in tests.cases if case.failed]
    if not result.ok and broken:  # a suite that exists, and runs: say which tests fail
        count = len(broken)
        raise CheckFailed(
            f"your suite has {len(tests.cases)} tests; {'these' if count > 1 else 'this'} "
            f"{count} fail{'s' * (count == 1)}: {failing(broken)}",
            ran="python -m pytest",
            got=pytest_summary(result.stdout) or clip(result.stderr, 1500),
            expected="every test to pass",
            fix=f"run `python -m pytest -x` to see the first failure in full. A failing "
            "test means the code or the test is wrong: fix whichever of the two is. If "
            f"{'they' if count > 1 else 'it'} passed before, look at your last change first",
        )
    if not result.ok:  # pytest stopped before (or instead of) running the tests
        raise CheckFailed(
            f"your own tests did not run to the end (pytest exit code {result.exit_code})",
            ran="python -m pytest",
            got=pytest_summary(result.stdout) or clip(result.stderr, 1500),
            expected="every test to run and pass",
            fix="run `python -m pytest` and read its first error: a test file that cannot "
            "be imported (a typo, a module that moved) stops the whole suite before any "
            "test runs",
        )
    if tests.passed < MIN_TESTS:
        raise CheckFailed(
            f"your suite has {tests.passed} passing test{'s' * (tests.passed != 1)}; "
            "a handful is the minimum",
            ran="python -m pytest",
            got=f"{tests.passed} passed",
            expected=f"at least {MIN_TESTS} tests",
        )
