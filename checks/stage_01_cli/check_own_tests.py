"""The learner's own test suite: it runs, it passes, and there is enough of it."""

import tomllib
import xml.etree.ElementTree as ET

from checks.harness.catalog import check
from checks.harness.failure import CheckFailed, clip, outcome
from checks.harness.process import run
from checks.harness.workspace import Workspace

MIN_TESTS = 5
TEST_TIMEOUT = 300.0
TEST_GROUPS = ("dev", "test", "tests")  # dependency groups that usually hold pytest


@check("own-tests-pass")
def check_own_tests_pass(installed: Workspace) -> None:
    """Your own test suite passes with `pytest` and has at least 5 tests.

    Why: tests are how you (and an employer reading your repo) know a change did not break
    anything. From stage 2 on you will refactor this code; the tests you write now are what
    make that safe.

    Fix: put tests in `tests/test_*.py`, run `pytest` until it is green, and list pytest in
    a dependency group such as `[dependency-groups] dev = ["pytest"]`. Test your modules
    directly (models, storage, summary), not only through the command.
    """
    _install_test_tools(installed)
    scratch = installed.scratch("own-tests")
    report = scratch / "junit.xml"
    argv = ["python", "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={report}"]
    result = run(
        [str(installed.bin / "python"), *argv[1:]],
        cwd=installed.project,
        env=installed.env(DATA_FILE=str(scratch / "data.json")),
        timeout=TEST_TIMEOUT,
    )
    if result.exit_code == 5:
        raise CheckFailed(
            "pytest found no tests",
            ran="python -m pytest",
            got=outcome(result),
            expected=f"at least {MIN_TESTS} tests in tests/test_*.py",
        )
    if not result.ok:
        raise CheckFailed(
            "your own tests do not pass",
            ran="python -m pytest",
            got=pytest_summary(result.stdout) or clip(result.stderr, 1500),
            expected="every test to pass",
        )
    count = _count_tests(report)
    if count < MIN_TESTS:
        raise CheckFailed(
            f"your suite has {count} test{'s' * (count != 1)}; a handful is the minimum",
            ran="python -m pytest",
            got=f"{count} passed",
            expected=f"at least {MIN_TESTS} tests",
        )


def pytest_summary(output: str) -> str:
    """pytest's own short summary (which tests failed, and the count), not the full log."""
    lines = output.strip().splitlines()
    start = next((i for i, line in enumerate(lines) if "short test summary info" in line), None)
    if start is None:
        return "\n".join(lines[-12:])
    return "\n".join(lines[start + 1 :][-20:])


def _install_test_tools(workspace: Workspace) -> None:
    pyproject = tomllib.loads((workspace.project / "pyproject.toml").read_text("utf-8"))
    groups = pyproject.get("dependency-groups", {})
    group = next((g for g in TEST_GROUPS if g in groups), None)
    result = workspace.install_group(group) if group else workspace.install_packages("pytest")
    if not result.ok:
        raise CheckFailed(
            "your test tools do not install",
            ran=f"uv pip install --group {group}" if group else "uv pip install pytest",
            got=outcome(result),
            expected="pytest and your other test dependencies to install",
        )


def _count_tests(report_path: object) -> int:
    try:
        root = ET.parse(str(report_path)).getroot()
    except (OSError, ET.ParseError):
        return 0
    suites = [root] if root.tag == "testsuite" else list(root)
    return sum(int(s.get("tests", 0)) - int(s.get("skipped", 0)) for s in suites)
