"""The service layer has tests of its own, which run without the command line."""

import ast
from pathlib import Path

from checks.harness.catalog import check
from checks.harness.doors.tools.learner_tests import (
    failing,
    pytest_summary,
    run_pytest,
    whole_suite,
)
from checks.harness.failure import CheckFailed, outcome
from checks.harness.manifest import Manifest
from checks.harness.process import Completed
from checks.harness.settings import Settings
from checks.harness.workspace import Workspace

MIN_SERVICE_TESTS = 3


@check("service-tests")
def check_service_tests(
    installed: Workspace, manifest: Manifest, run_settings: Settings, tools: Completed
) -> None:
    """Your tests include at least 3 passing tests of the service layer, without the CLI.

    Why: tests through the service layer are fast, precise and survive a change of
    interface: the same tests keep protecting your rules when the API arrives in stage 3.

    Fix: add `tests/test_services.py` that imports your services module (not the CLI),
    gives it a database or a fake repository, and checks each rule: adding, listing,
    not-found, validation, the summary.
    """
    layers = manifest.require_layers()
    files = service_test_files(installed.pristine / "tests", layers.services, layers.cli)
    if not files:
        raise CheckFailed(
            "no test file imports your services without also importing the CLI",
            got="test files found: " + _names(installed.pristine / "tests"),
            expected=f"a test file that imports one of {', '.join(layers.services)} and "
            f"none of {', '.join(layers.cli)}",
        )
    relative = [str(path.relative_to(installed.pristine)) for path in files]
    assert run_settings.state is not None
    state, timeout = run_settings.state, run_settings.tests_timeout
    suite = whole_suite(installed, manifest, tools, state, timeout)
    cases = suite.of_files(relative)
    ran = f"python -m pytest {' '.join(relative)}"
    if cases:  # read from the whole suite's run: the usual case
        passed = sum(case.passed for case in cases)
        failed = [f"{case.classname}::{case.name}" for case in cases if case.failed]
        got = "\n".join(f"did not pass: {name}" for name in failed[:10]) or f"{passed} passed"
    else:  # a configuration that names modules unlike their paths: run the files alone
        alone = run_pytest(installed, manifest, *relative, timeout=timeout)
        cases = list(alone.cases)
        passed = alone.passed if alone.result.ok else 0
        failed = [] if alone.result.ok else ["?"]
        got = pytest_summary(alone.result.stdout) or outcome(alone.result)
    where = ", ".join(relative)
    if failed:  # they exist: say which fail, not how to write them
        named = failing(cases) or "see below"
        raise CheckFailed(
            f"your service tests ({where}, {len(cases)} tests) do not all pass: {named}",
            ran=ran,
            got=got,
            expected=f"every service test to pass, at least {MIN_SERVICE_TESTS} of them",
            fix=f"run `{ran} -x` to see the first failure in full, and fix the service "
            "(or the test, if it no longer says what the service should do)",
        )
    if passed < MIN_SERVICE_TESTS:
        raise CheckFailed(
            f"your service tests ({where}) give {passed} passing "
            f"test{'s' * (passed != 1)}; {MIN_SERVICE_TESTS} is the minimum",
            ran=ran,
            got=got,
            expected=f"at least {MIN_SERVICE_TESTS} passing tests",
            fix=f"add tests to {relative[0]} for each rule of your services: adding, "
            "listing, not-found, validation, the summary",
        )


def service_test_files(tests: Path, services: tuple[str, ...], cli: tuple[str, ...]) -> list[Path]:
    found = []
    for path in sorted(tests.rglob("test_*.py")) + sorted(tests.rglob("*_test.py")):
        imported = _imports(path)
        if _touches(imported, services) and not _touches(imported, cli):
            found.append(path)
    return found


def _imports(path: Path) -> set[str]:
    """Modules a file imports; `from pkg import name` counts as pkg and pkg.name."""
    try:
        tree = ast.parse(path.read_text("utf-8", errors="replace"))
    except SyntaxError:
        return set()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _touches(imported: set[str], modules: tuple[str, ...]) -> bool:
    return any(name == m or name.startswith(m + ".") for name in imported for m in modules)


def _names(tests: Path) -> str:
    files = sorted(str(p.relative_to(tests.parent)) for p in tests.rglob("*.py"))
    return ", ".join(files[:8]) or "none"
