"""Shared fixtures: real projects (rendered and materialized once) and a real checker run."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from checks.course.reference import materialize, render_starter
from checks.harness import process
from checks.report.exercism import checks_of, roadmap_status

CHECKER_TIMEOUT = 600  # a safety net against a hung test, not a speed claim
TERMINAL_SETTINGS = ("COLUMNS", "FORCE_COLOR")  # what would make the output wrap or colour


@dataclass
class CheckerRun:
    exit_code: int
    stdout: str
    stderr: str
    report_dir: Path

    @property
    def results(self) -> dict[str, Any]:
        document: dict[str, Any] = json.loads((self.report_dir / "results.json").read_text())
        return document

    def statuses(self) -> dict[str, str]:
        """The roadmap's status of each check (blocked, not-applicable… as well as v3's)."""
        return {check["id"]: roadmap_status(check) for check in checks_of(self.results)}

    def failed(self) -> set[str]:
        return {check_id for check_id, status in self.statuses().items() if status != "pass"}

    def message(self, check_id: str) -> str:
        """What the report says about one check: its message, or why it does not apply."""
        check = next(c for c in checks_of(self.results) if c["id"] == check_id)
        return str(check.get("message") or check.get("not_applicable") or "")


def require_postgres() -> None:
    """Stage 4 runs on PostgreSQL: skip without it on a laptop, but fail in CI (CI=true),
    where a database test must never pass by not running."""
    from checks.harness.doors.storage import postgres

    if postgres.find_binaries() is None and not os.environ.get(postgres.URL_ENV):
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed: apt-get install -y postgresql")
        pytest.skip("PostgreSQL is not installed (stage 4 needs it)")


FUZZ_BUDGET_IN_TESTS = 6  # seconds (see _fuzz_budget)
TESTS_TIMEOUT_IN_TESTS = 400  # seconds (see _tests_timeout)


def run_checker(
    project: Path, report_dir: Path, *args: str, env: dict[str, str] | None = None
) -> CheckerRun:
    """Run the checker as a learner would: a separate process, its own command line.

    Its output goes to a pipe, so it is neither wrapped nor coloured, whatever COLUMNS or
    FORCE_COLOR the shell that started the tests exports; `env` may set them on purpose.
    """
    inherited = {k: v for k, v in os.environ.items() if k not in TERMINAL_SETTINGS}
    argv = [sys.executable, "-m", "checks", str(project), "--report-dir", str(report_dir)]
    result = subprocess.run(
        [*argv, *_fuzz_budget(args), *_tests_timeout(args), *args],
        capture_output=True,
        text=True,
        timeout=CHECKER_TIMEOUT,
        env={**inherited, **(env or {})},
    )
    return CheckerRun(result.returncode, result.stdout, result.stderr, report_dir)


def _tests_timeout(args: tuple[str, ...]) -> list[str]:
    """Room for a learner's suite on a machine busy with the other test workers: the
    reference's own suite takes ~35 s alone at stage 6, and the default (120 s) is a
    learner's limit, not this test run's. Tests about the limit pass their own."""
    return [] if "--tests-timeout" in args else ["--tests-timeout", str(TESTS_TIMEOUT_IN_TESTS)]


def _fuzz_budget(args: tuple[str, ...]) -> list[str]:
    """A short time box for the fuzzer where fuzzing is not what the test is about: a
    stage-5 run fuzzes for 30 s by default, beside checks a test is about. How much the
    default budget finds is measured by benchmarks/fuzz_detection.py; the planted bugs a
    fuzz check names are found with the default (tests/stages/test_proof.py)."""
    fuzz_named = any(arg.startswith("05-quality/fuzz-") for arg in args)
    if "--fuzz-budget" in args or fuzz_named:
        return []
    return ["--fuzz-budget", str(FUZZ_BUDGET_IN_TESTS)]


def processes_with(marker: str) -> list[str]:
    """Command lines of live processes that contain `marker` (this test run excluded)."""
    found = []
    for cmdline in process.proc_files("cmdline"):
        try:
            text = cmdline.read_bytes().decode(errors="replace")
        except OSError:
            continue  # the process ended while we looked
        if marker in text and "pytest" not in text:
            found.append(text.replace("\0", " "))
    return found


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file under `folder` (including .git) with its content hash and mode."""
    state = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            state[str(path.relative_to(folder))] = (digest, path.stat().st_mode)
    return state


@pytest.fixture(scope="session")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Callable[[int], Path]:
    """The reference project at the end of a stage, built once per test session."""
    built: dict[int, Path] = {}

    def at_stage(stage: int) -> Path:
        if stage not in built:
            folder = tmp_path_factory.mktemp(f"reference-{stage}") / "expense-tracker"
            built[stage] = materialize(stage, folder)
        return built[stage]

    return at_stage


@dataclass(frozen=True)
class ReferenceRun:
    run: CheckerRun
    untouched: bool  # the project is byte for byte as it was before the run


REFERENCE_SEED = "7"


@pytest.fixture(scope="session")
def reference_run(
    reference: Callable[[int], Path], tmp_path_factory: pytest.TempPathFactory
) -> Callable[[int], ReferenceRun]:
    """The checker's whole run on the reference of a stage, once per test session: the
    proof that it passes, and the `try` lines of every check, come from the same run."""
    runs: dict[int, ReferenceRun] = {}

    def of_stage(stage: int) -> ReferenceRun:
        if stage not in runs:
            project = reference(stage)
            before = snapshot(project)
            report = tmp_path_factory.mktemp(f"reference-{stage}-report")
            run = run_checker(project, report, "--seed", REFERENCE_SEED)
            runs[stage] = ReferenceRun(run, snapshot(project) == before)
        return runs[stage]

    return of_stage


@pytest.fixture(scope="session")
def reference_1(reference: Callable[[int], Path]) -> Path:
    return reference(1)


@pytest.fixture(scope="session")
def starter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_starter(tmp_path_factory.mktemp("starter") / "expense-tracker")


@pytest.fixture
def copy_of(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A private copy of a session project that a test may break."""

    def copy(project: Path) -> Path:
        target = tmp_path / project.name
        shutil.copytree(project, target, symlinks=True)
        return target

    return copy


# The end-to-end runs that take a minute or more: started first, so that the suite's last
# minutes are not one worker finishing a reference run while the others wait.
LONGEST_FIRST = (
    "test_the_reference_passes_every_check_through_its_stage_untouched",
    "test_corpus.py",
    "test_try_lines.py",
    "test_07_jobs.py",
    "test_every_mutant_is_caught_by_the_check_it_names[07-jobs",
)


# Module and session fixtures that run the checker (or build the site) for several tests:
# the tests that read one share a group, so it is made once per suite, not once per worker
# (the stage-7 `runs` are eight checker runs; on four workers they were made four times).
SHARED = {
    "runs": "jobs-runs",  # tests/stages/test_07_jobs.py
    "broken_run": "real-reports",  # tests/report/test_real_reports.py
    "mutant_run": "golden",  # tests/report/test_golden.py, its three runs
    "starter_run": "golden",
    "transition": "golden",
    "build": "site",  # tests/docs: `mkdocs build --strict`, then served, then a browser
}


@pytest.hookimpl(wrapper=True, tryfirst=True)  # outside pytest-randomly's own wrapper
def pytest_collection_modifyitems(items: list[pytest.Item]) -> Iterator[None]:
    """Before the other plugins: tests that share a reference's whole run (`reference_run`,
    made once per worker) join one group, which `--dist loadgroup` keeps on one worker,
    so the run is made once, not once per worker. After them (pytest-randomly has
    shuffled, pytest-xdist has read the groups): the longest runs go first."""
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "reference_run" in fixtures:
            callspec = getattr(item, "callspec", None)
            stage = callspec.params.get("stage", 4) if callspec else 4  # the stage-4 try tests
            item.add_marker(pytest.mark.xdist_group(f"reference-{stage}"))
            continue
        shared = next((SHARED[name] for name in fixtures if name in SHARED), None)
        if shared:
            item.add_marker(pytest.mark.xdist_group(shared))
    yield

    def weight(item: pytest.Item) -> int:
        if any(name in item.nodeid for name in LONGEST_FIRST):
            return 0
        return 1 if item.get_closest_marker("slow") else 2

    items.sort(key=weight)  # stable: the shuffled order stays within each group
