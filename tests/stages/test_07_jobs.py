"""Stage 7 end to end: reference 7 passes, each planted defect fails the check it names
with the learner's message, and a project whose jobs need no worker blocks, at once, the
checks that stand on one.

The defects are planted in reference 6 with jobs written by hand (jobs_project.py), until
stage 7's mutants exist; each assertion names the words of its own defect. Defects that
different checks catch share one project and one run; the runs go three at a time, as
most of their time is spent waiting on jobs, so the file costs about as long as the
reference's run (about 35 s of checks on a quiet machine, 90 s on a busy one).
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from checks.harness.catalog import all_checks
from checks.harness.doors.jobs.verdict import QUEUED_FOR
from tests.conftest import CheckerRun, require_postgres, run_checker
from tests.stages.jobs_project import change, make_jobs

pytestmark = pytest.mark.slow

STAGE_7 = [check.id for check in all_checks() if check.stage.slug == "07-jobs"]
AT_ONCE = 3  # runs at a time: more only make each slower on two cores
ON_A_REAL_WORKER = ["survives-api-kill", "worker-crash", "failure-recorded", "runs-once"]


def j(slug: str) -> str:
    return f"07-jobs/{slug}"


@dataclass(frozen=True)
class Planned:
    defects: tuple[str, ...]
    slugs: tuple[str, ...]  # the checks run (--only); all of stage 7 when empty
    base: int = 6  # the reference it starts from: 6 gets jobs_project.py, 7 is as it is
    table: bool = True  # False: stage 7 started without its table (no jobs written)


PLANNED = {
    "reference": Planned((), (), base=7),
    "no-table": Planned((), ("manifest-table",), table=False),
    # Each caught by the check it names; a job kept in memory also loses its key.
    "defects": Planned(
        (
            "work-in-request",
            "wrong-result",
            "failed-status-500",
            "others-readable",
            "no-retry-after",
            "in-memory",
            "stuck-running",
            "broker",
        ),
        (),
    ),
    "background-tasks": Planned(("background-tasks", "no-result"), ()),
    "runs-twice": Planned(("runs-twice",), ("runs-once",)),
    "no-worker": Planned(("no-worker-command",), ("needs-a-worker", "survives-api-kill")),
}


@dataclass(frozen=True)
class Timed:
    run: CheckerRun
    seconds: float


@pytest.fixture(scope="module")
def runs(
    reference: Callable[[int], Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Future[Timed]]]:
    """Every planned run, started at once; a test waits for the one it reads."""
    require_postgres()
    bases = {stage: reference(stage) for stage in (6, 7)}

    def checked(name: str, planned: Planned) -> Timed:
        folder = tmp_path_factory.mktemp(f"jobs-{name}")
        project = folder / "expense-tracker"
        shutil.copytree(bases[planned.base], project, symlinks=True)
        if not planned.table:
            change(project, "pyproject.toml", "stage = 6 ", "stage = 7 ")
        elif planned.base == 6:
            make_jobs(project, *planned.defects)
        only = [arg for slug in planned.slugs for arg in ("--only", j(slug))]
        only = only or [arg for check_id in STAGE_7 for arg in ("--only", check_id)]
        began = time.monotonic()
        run = run_checker(project, folder / "report", "--stage", "7", *only)
        return Timed(run, time.monotonic() - began)

    with ThreadPoolExecutor(AT_ONCE) as pool:
        yield {name: pool.submit(checked, name, planned) for name, planned in PLANNED.items()}


def test_reference_7_passes_every_stage_7_check(runs):
    run = runs["reference"].result().run
    assert run.statuses() == {check_id: "pass" for check_id in STAGE_7}, run.stdout
    assert run.exit_code == 0


def test_each_planted_defect_fails_the_check_it_names_with_what_the_learner_needs(runs):
    run = runs["defects"].result().run
    caught = {
        "accepted-202": ["starting a slow job took", "ms at best"],
        "status-reaches-succeeded": ['"result" is not what its input gives', '"imported": 1'],
        "retry-after": ["has no Retry-After"],
        "survives-api-kill": ["was gone once the API was restarted"],
        "worker-crash": ['still "running"', "after its worker was killed", "lease"],
        "failure-recorded": ["answered 500: your code crashed"],
        "others-jobs-404": ["another user's GET /v1/imports/", "answered 200"],
        "idempotency-key": ["the same Idempotency-Key started a second job"],
        "no-broker": ["celery (Celery)", "no decision record names it"],
    }
    statuses = run.statuses()
    for slug, words in caught.items():
        assert statuses[j(slug)] == "fail", (slug, run.stdout)
        message = run.message(j(slug))
        for word in words:
            assert word in message, (slug, word, message)
    for slug in ("manifest-table", "needs-a-worker", "runs-once"):
        assert statuses[j(slug)] == "pass", (slug, run.stdout)
    crash = next(c for c in run.results["tests"] if c["id"] == j("worker-crash"))
    assert "kill -9 $WORKER  # the checker kills the worker (SIGKILL) mid-job" in crash["test_code"]


def test_work_done_in_the_api_fails_needs_a_worker_at_once_and_blocks_what_needs_one(runs):
    timed = runs["background-tasks"].result()
    run, statuses = timed.run, timed.run.statuses()
    assert statuses[j("needs-a-worker")] == "fail", run.stdout
    message = run.message(j("needs-a-worker"))
    assert "with no worker running: the work runs inside your API" in message
    waited = re.search(r'was "succeeded" ([\d.]+) s after it was accepted', message)
    assert waited and float(waited[1]) < QUEUED_FOR, message  # known at once, not waited out
    for slug in ON_A_REAL_WORKER:
        assert statuses[j(slug)] == "blocked", (slug, run.stdout)
    assert statuses[j("status-reaches-succeeded")] == "fail"
    assert 'has no "result"' in run.message(j("status-reaches-succeeded"))
    # Blocked at once: the run took no longer than the reference's, whose checks wait on
    # real workers (each blocked check would otherwise wait out its own bound).
    assert timed.seconds < runs["reference"].result().seconds + 20


def test_two_workers_that_both_take_a_job_fail_runs_once(runs):
    run = runs["runs-twice"].result().run
    assert run.statuses() == {j("runs-once"): "fail"}, run.stdout
    assert "are there 2 times after two workers ran" in run.message(j("runs-once"))


def test_a_worker_command_that_exits_fails_needs_a_worker_with_its_words(runs):
    run = runs["no-worker"].result().run
    statuses = run.statuses()
    assert statuses[j("needs-a-worker")] == "fail", run.stdout
    message = run.message(j("needs-a-worker"))
    assert "your worker ended before the job did: it exited with code 2" in message
    assert "invalid choice: 'wokrer'" in message  # the worker's own last lines
    assert statuses[j("survives-api-kill")] == "blocked"


def test_stage_7_started_without_its_table_fails_its_manifest_check_with_the_table(runs):
    run = runs["no-table"].result().run
    assert run.statuses() == {j("manifest-table"): "fail"}, run.stdout + run.stderr
    message = run.message(j("manifest-table"))
    assert "your manifest has no [tool.roadmap.jobs] yet: stage 7 starts with it" in message
    assert 'worker = ["expense-tracker", "worker"]' in message
    assert f"Next: fix {j('manifest-table')}" in run.stdout
