"""The service layer has tests of its own, which run without the command line."""

import ast
from pathlib import Path

from checks.harness.catalog import check
from checks.harness.doors.tools import discovery
from checks.harness.doors.tools.learner_tests import (
    failing,
    pytest_summary,
    run_pytest,
    whole_suite,
)
from checks.harness.failure import CheckFailed, outcome
from checks.harness.manifest import Layers, Manifest
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
    files = service_test_files(installed.pristine, layers.services, layers.cli)
    if not files:
        raise CheckFailed(
            "no test file imports your services"
            + (" without also importing the CLI" if layers.cli else ""),
            got=_found(installed.pristine, layers),
            expected=_expected(layers),
        )
    relative = [str(path.relative_to(installed.pristine)) for path in files]
    timeout = run_settings.tests_timeout
    suite = whole_suite(installed, manifest, tools, run_settings)
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


def service_test_files(
    project: Path, services: tuple[str, ...], cli: tuple[str, ...]
) -> list[Path]:
    """The test files pytest collects in `project` that import a service module and no
    CLI module."""
    found = []
    for path in discovery.find_test_files(project):
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


def _expected(layers: Layers) -> str:
    services = _one_of(layers.services)
    if not layers.cli:  # an API-only project: no CLI to keep out
        return f"a test file that imports {services}"
    cli = layers.cli[0] if len(layers.cli) == 1 else f"any of {', '.join(layers.cli)}"
    return f"a test file that imports {services}, and not {cli}"


def _one_of(modules: tuple[str, ...]) -> str:
    return modules[0] if len(modules) == 1 else f"one of {', '.join(modules)}"


def _found(project: Path, layers: Layers, shown: int = 8) -> str:
    """The test files pytest collects, each marked when it imports the CLI as well."""
    files = discovery.find_test_files(project)
    looked = discovery.where(project)
    if not files:
        patterns = " and ".join(discovery.read_config(project).python_files)
        return f"no test files in {looked} (pytest collects {patterns})"
    names = []
    for path in files[:shown]:
        imported = _imports(path)
        both = _touches(imported, layers.services) and _touches(imported, layers.cli)
        names.append(str(path.relative_to(project)) + (" (imports the CLI too)" if both else ""))
    more = f", and {len(files) - shown} more" if len(files) > shown else ""
    return f"test files found in {looked}: {', '.join(names)}{more}"
