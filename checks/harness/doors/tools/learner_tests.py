"""Run the learner's own pytest suite (or part of it) in their environment and count tests.

The whole suite runs once per run (`whole_suite`), whichever check asks first: the checks
that grade it (own tests, service tests) read the same run, so a suite that hangs costs
its timeout once and is reported once, by the check that grades it.
"""

from __future__ import annotations

import re
import shlex
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from checks.harness import environment, shared
from checks.harness.doors.storage import Storage
from checks.harness.doors.tools import coverage
from checks.harness.failure import CheckFailed, outcome
from checks.harness.manifest import Manifest
from checks.harness.process import Completed, run
from checks.harness.settings import Settings
from checks.harness.workspace import Workspace

SUITE_STEP = "01-cli/own-tests-pass"  # the check that grades running the whole suite
# pytest's report of a module it could not import, one section each under "ERRORS".
COLLECTING = re.compile(r"_{3,} ERROR collecting (?P<path>.+?) _{3,}")
SECTION_END = re.compile(r"(_{3,}|={3,}) .* (_{3,}|={3,})")
FRAME = re.compile(r"(?P<file>[^\s/<][^:]*\.py):\d+: in .+")  # relative: under the rootdir
SHOWN_ERRORS, ERROR_LINES, LINE_CHARS = 5, 8, 200  # what a report shows of them


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
    coverage: dict[str, Any] | None = None  # coverage.Measured's data, when measured

    def of_files(self, files: list[str]) -> list[Case]:
        """The cases from these test files (paths relative to the project)."""
        modules = {m for f in files for m in _module_suffixes(f)}
        return [
            case
            for case in self.cases
            if any(case.classname == m or case.classname.startswith(m + ".") for m in modules)
        ]


def whole_suite(
    workspace: Workspace, manifest: Manifest, tools: Completed, settings: Settings
) -> TestRun:
    """The learner's whole suite, run once per run (under the checker's coverage from
    stage 5); its failures (tools that do not install, a suite that hangs) belong to the
    check that grades the suite."""
    measure = settings.graded_through >= coverage.FROM_STAGE

    def run_once() -> dict[str, object]:
        try:
            require_test_tools(workspace, manifest, tools)
            tests = run_pytest(workspace, manifest, timeout=settings.tests_timeout, measure=measure)
        except CheckFailed as failure:
            raise failure.of_step(SUITE_STEP) from None
        return asdict(tests)

    assert settings.state is not None
    data = shared.once(settings.state, "learner-suite", run_once)
    result = Completed(**{**data["result"], "argv": tuple(data["result"]["argv"])})
    cases = tuple(Case(**case) for case in data["cases"])
    return TestRun(result, data["passed"], cases, data.get("coverage"))


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


def run_pytest(
    workspace: Workspace,
    manifest: Manifest,
    *paths: str,
    timeout: float,
    measure: bool = False,
    database: str | None = None,
) -> TestRun:
    """Run pytest in a copy of the project, with throw-away storage, and count passes;
    `measure`: under the checker's coverage; `database`: this URL for the database (a
    closed port, for tests that must not need one) instead of a throw-away one.

    A suite still running at `timeout` (the --tests-timeout option) fails as a timeout,
    never as "your tests do not pass".
    """
    folder = workspace.scratch("tests")
    report = folder / "junit.xml"
    argv = ["-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={report}", *paths]
    # The storage's HOME and /tmp are the suite's own: it runs beside the CLI checks, and a
    # program that writes there instead of where it is told must not mix records with them.
    if database is None:
        data_env = Storage.fresh(workspace, manifest).env()
    else:  # a database of the caller's (a closed port): no copy of the template is made
        data_env = Storage.apart(workspace) | environment.with_database(manifest, database)
    env = workspace.env(**data_env, COVERAGE_FILE=str(folder / "coverage"))
    command = [str(workspace.python), *argv]
    if measure:
        command = coverage.under_coverage(workspace, manifest, argv)
    result = run(command, cwd=workspace.project, env=env, timeout=timeout)
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
    measured = coverage.measured(workspace, manifest, env, folder, timeout) if measure else None
    data = measured.to_data() if measured else None
    return TestRun(result, sum(case.passed for case in cases), tuple(cases), data)


def failing(cases: list[Case] | tuple[Case, ...], shown: int = 3) -> str:
    """The failing tests by name, the first few: "test_a, test_b and 4 more"."""
    names = [case.name for case in cases if case.failed]
    listed = ", ".join(names[:shown])
    return listed + (f" and {len(names) - shown} more" if len(names) > shown else "")


def pytest_summary(output: str) -> str:
    """pytest's own short summary (which tests failed, and the count), not the full log;
    led by why each module that could not be collected failed to import."""
    lines = output.strip().splitlines()
    start = next((i for i, line in enumerate(lines) if "short test summary info" in line), None)
    errors = collection_errors(lines)
    summary = lines[-12:] if start is None else lines[start + 1 :][-20:]
    said = {f"ERROR {path}" for path, _ in errors[:SHOWN_ERRORS]}
    summary = [line for line in summary if line.strip() not in said]  # named below already
    shown = [
        f"{path} could not be collected:\n" + "\n".join(f"  {line}" for line in why)
        for path, why in errors[:SHOWN_ERRORS]
    ]
    if len(errors) > SHOWN_ERRORS:
        shown.append(f"… and {len(errors) - SHOWN_ERRORS} more modules that could not be collected")
    return "\n".join([*shown, *summary])


def collection_errors(lines: list[str]) -> list[tuple[str, list[str]]]:
    """Each `ERROR collecting PATH` section of pytest's output, as PATH and its last
    lines: the learner's deepest frame (file:line and the line of code) and the exception.
    """
    found: list[tuple[str, list[str]]] = []
    for i, line in enumerate(lines):
        header = COLLECTING.fullmatch(line.strip())
        if header is None:
            continue
        end = next(
            (j for j in range(i + 1, len(lines)) if SECTION_END.fullmatch(lines[j].strip())),
            len(lines),
        )
        section, path = lines[i + 1 : end], header["path"]
        found.append((path, _why(section, _root(section, path))))
    return found


def _why(section: list[str], root: str | None) -> list[str]:
    """The lines of one collection error a learner needs, paths made relative."""
    frames = [i for i, line in enumerate(section) if FRAME.fullmatch(line)]
    raised = [line for line in section if line.startswith("E ")]
    kept: list[str] = []
    if frames:  # the frame's line of code follows it, then maybe ^^^^ markers
        frame = frames[-1]
        kept += [section[frame], *section[frame + 1 : frame + 2]]
    kept += raised or [line for line in section if line.strip()][-4:]  # --tb=native, say
    kept = kept[-ERROR_LINES:]
    if root:
        kept = [line.replace(root, "") for line in kept]
    return [line if len(line) <= LINE_CHARS else line[: LINE_CHARS - 1] + "…" for line in kept]


def _root(section: list[str], path: str) -> str | None:
    """The project folder as pytest printed it ("/…/project/"), from an absolute path in
    the section that ends with the module's own relative one."""
    for line in section:
        found = re.search(r"(/[^\s'\"]*/)" + re.escape(path), line)
        if found:
            return found.group(1)
    return None


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
