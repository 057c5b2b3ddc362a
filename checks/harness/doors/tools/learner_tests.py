"""Run the learner's own pytest suite (or part of it) in their environment and count tests."""

from __future__ import annotations

import shlex
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from checks.harness.doors.storage import Storage
from checks.harness.failure import CheckFailed, outcome
from checks.harness.manifest import Manifest
from checks.harness.process import Completed, run
from checks.harness.workspace import Workspace


@dataclass(frozen=True)
class TestRun:
    result: Completed
    passed: int  # tests that ran and passed (skips do not count)


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
    storage = Storage.fresh(workspace, manifest.data_env)
    report = storage.data_file.parent / "junit.xml"
    argv = ["-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={report}", *paths]
    result = run(
        [str(workspace.python), *argv],
        cwd=workspace.project,
        env=workspace.env(**storage.env()),
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
    return TestRun(result, _count_passed(report))


def pytest_summary(output: str) -> str:
    """pytest's own short summary (which tests failed, and the count), not the full log."""
    lines = output.strip().splitlines()
    start = next((i for i, line in enumerate(lines) if "short test summary info" in line), None)
    if start is None:
        return "\n".join(lines[-12:])
    return "\n".join(lines[start + 1 :][-20:])


def _count_passed(report: Path) -> int:
    try:
        root = ET.parse(report).getroot()
    except (OSError, ET.ParseError):
        return 0
    suites = [root] if root.tag == "testsuite" else list(root)
    return sum(
        int(s.get("tests", 0)) - sum(int(s.get(k, 0)) for k in ("skipped", "failures", "errors"))
        for s in suites
    )
