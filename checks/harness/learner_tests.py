"""Run the learner's own pytest suite (or part of it) in their environment and count tests."""

from __future__ import annotations

import tomllib
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from checks.harness.failure import CheckFailed, outcome
from checks.harness.manifest import Manifest
from checks.harness.process import Completed, run
from checks.harness.storage import Storage
from checks.harness.workspace import Workspace

TEST_TIMEOUT = 300.0
TEST_GROUPS = ("dev", "test", "tests")  # dependency groups that usually hold pytest


@dataclass(frozen=True)
class TestRun:
    result: Completed
    passed: int  # tests that ran and passed (skips do not count)


def install_test_tools(workspace: Workspace) -> None:
    """Install the project's test dependency group, or plain pytest when it has none."""
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


def run_pytest(workspace: Workspace, manifest: Manifest, *paths: str) -> TestRun:
    """Run pytest in a copy of the project, with throw-away storage, and count passes."""
    storage = Storage.fresh(workspace, manifest.cli.data_env)
    report = storage.data_file.parent / "junit.xml"
    argv = ["-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={report}", *paths]
    result = run(
        [str(workspace.python), *argv],
        cwd=workspace.project,
        env=workspace.env(**storage.env()),
        timeout=TEST_TIMEOUT,
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
