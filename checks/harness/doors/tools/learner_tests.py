"""Run the learner's own pytest suite (or part of it) in their environment and count tests.

The whole suite runs once per run (`whole_suite`), whichever check asks first: the checks
that grade it (own tests, service tests) read the same run, so a suite that hangs costs
its timeout once and is reported once, by the check that grades it.
"""

from __future__ import annotations

import shlex
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass
from pathlib import Path

from checks.harness import shared
from checks.harness.doors.storage import Storage
from checks.harness.failure import CheckFailed, outcome
from checks.harness.manifest import Manifest
from checks.harness.process import Completed, run
from checks.harness.workspace import Workspace

SUITE_STEP = "01-cli/own-tests-pass"  # the check that grades running the whole suite


@dataclass(frozen=True)
class Case:
    """One test as pytest's JUnit report names it: `tests.test_x` (or `tests.test_x.TestY`)."""

    classname: str
    name: str
    passed: bool
    skipped: bool = False

    @property
    def failed(self) -> bool:
        return not (self.passed or self.skipped)


@dataclass(frozen=True)
class TestRun:
    result: Completed
    passed: int  # tests that ran and passed (skips do not count)
    cases: tuple[Case, ...] = ()

    def of_files(self, files: list[str]) -> list[Case]:
        """The cases from these test files (paths relative to the project)."""
        modules = {m for f in files for m in _module_suffixes(f)}
        return [
            case
            for case in self.cases
            if any(case.classname == m or case.classname.startswith(m + ".") for m in modules)
        ]


def whole_suite(
    workspace: Workspace, manifest: Manifest, tools: Completed, state: Path, timeout: float
) -> TestRun:
    """The learner's whole suite, run once per run; its failures (tools that do not
    install, a suite that hangs) belong to the check that grades the suite."""

    def run_once() -> dict[str, object]:
        try:
            require_test_tools(workspace, manifest, tools)
            tests = run_pytest(workspace, manifest, timeout=timeout)
        except CheckFailed as failure:
            raise failure.of_step(SUITE_STEP) from None
        return asdict(tests)

    data = shared.once(state, "learner-suite", run_once)
    result = Completed(**{**data["result"], "argv": tuple(data["result"]["argv"])})
    return TestRun(result, data["passed"], tuple(Case(**case) for case in data["cases"]))


def _module_suffixes(path: str) -> list[str]:
    """`tests/unit/test_x.py` → tests.unit.test_x, unit.test_x, test_x: pytest names a test
    module from its rootdir, which a learner's configuration may move."""
    parts = Path(path).with_suffix("").parts
    return [".".join(parts[i:]) for i in range(len(parts))]


def require_test_tools(workspace: Workspace, manifest: Manifest, tools: Completed) -> None:
    """The test tools were installed beside the project (the `tools` fixture); when that
    one install failed, install the test group alone, to blame the right part."""
    if not tools.ok:
        install_test_tools(workspace, manifest)


def install_test_tools(workspace: Workspace, manifest: Manifest) -> None:
    """Install the project's test dependency group, or plain pytest when it has none."""
    group = manifest.package.test_group
    result = workspace.install_group(group) if group else workspace.install_packages("pytest")
    if not result.ok:
        raise CheckFailed(
            "your test tools do not install",
            ran=f"uv pip install --group {group}" if group else "uv pip install pytest",
            got=outcome(result),
            expected="pytest and your other test dependencies to install",
        )


def run_pytest(workspace: Workspace, manifest: Manifest, *paths: str, timeout: float) -> TestRun:
    """Run pytest in a copy of the project, with throw-away storage, and count passes.

    A suite still running at `timeout` (the --tests-timeout option) fails as a timeout,
    never as "your tests do not pass".
    """
    storage = Storage.fresh(workspace, manifest)
    report = storage.data_file.parent / "junit.xml"
    argv = ["-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={report}", *paths]
    # A HOME of its own: the suite runs beside the CLI checks, and a program that writes
    # under HOME instead of where it is told must not mix the tests' records into theirs.
    home = workspace.scratch("home")
    result = run(
        [str(workspace.python), *argv],
        cwd=workspace.project,
        env=workspace.env(**storage.env(), HOME=str(home)),
        timeout=timeout,
    )
    if result.timed_out or result.flooded or result.killed_for:
        why = (
            f"were still running after {timeout:.0f} s, so they were stopped"
            if result.timed_out
            else "were stopped: " + (outcome(result).split(": ", 1)[-1])
        )
        raise CheckFailed(
            f"your tests {why}",
            ran=shlex.join(["python", *argv[:2], *paths]),
            got=outcome(result),
            expected=f"the suite to finish within {timeout:.0f} s (the checker's --tests-timeout)",
            fix="run `python -m pytest --durations=5` and look for a test that waits: for "
            "input, a server that never starts, a sleep, or the network. A slow machine may "
            "need a longer --tests-timeout",
        )
    cases = _cases(report)
    return TestRun(result, sum(case.passed for case in cases), tuple(cases))


def failing(cases: list[Case] | tuple[Case, ...], shown: int = 3) -> str:
    """The failing tests by name, the first few: "test_a, test_b and 4 more"."""
    names = [case.name for case in cases if case.failed]
    listed = ", ".join(names[:shown])
    return listed + (f" and {len(names) - shown} more" if len(names) > shown else "")


def pytest_summary(output: str) -> str:
    """pytest's own short summary (which tests failed, and the count), not the full log."""
    lines = output.strip().splitlines()
    start = next((i for i, line in enumerate(lines) if "short test summary info" in line), None)
    if start is None:
        return "\n".join(lines[-12:])
    return "\n".join(lines[start + 1 :][-20:])


def _cases(report: Path) -> list[Case]:
    """Every test case of a JUnit report; a skipped one did not pass."""
    try:
        root = ET.parse(report).getroot()
    except (OSError, ET.ParseError):
        return []
    return [
        Case(
            case.get("classname", ""),
            case.get("name", ""),
            not any(child.tag in ("failure", "error", "skipped") for child in case),
            any(child.tag == "skipped" for child in case),
        )
        for case in root.iter("testcase")
    ]
