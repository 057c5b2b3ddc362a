"""Whether the project's jobs need its worker: probed once per run, read by every check
that stands on a real worker.

The probe (`07-jobs/needs-a-worker` grades it): with the API running and no worker, a
job stays queued for `QUEUED_FOR` seconds; then the manifest's worker, started on the same
database, finishes it. A project that does the work inside the API (FastAPI's
`BackgroundTasks`, a thread) fails the first half at once, and a worker that takes no
job fails the second. Either way every check that would start a worker and wait for it
(the status, the crashes, the failures, two workers) would only wait out its own bound
to learn the same thing, so those checks read this verdict first and, when it failed,
fail at once with its failure: blocked by needs-a-worker (ADR 0009), not waited out.

Computed by the first check that asks (`shared.once`, under a file lock: the others wait
for it, as long as the probe itself takes); its `try` lines travel with it, for the
report of needs-a-worker, whichever check ran it.
"""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Any

from checks.harness import shared
from checks.harness.doors.jobs import polling
from checks.harness.doors.jobs.deployment import Deployment
from checks.harness.doors.jobs.driver import ENDED, FAILED, QUEUED, Status
from checks.harness.doors.storage import Storage
from checks.harness.failure import CheckFailed
from checks.harness.manifest import Manifest
from checks.harness.transcript import Transcript
from checks.harness.values import ValueMaker
from checks.harness.workspace import Workspace

NEEDS_A_WORKER = "07-jobs/needs-a-worker"
# Without a worker a job must stay queued this long. FastAPI's BackgroundTasks starts as
# the answer leaves, a thread at once, a loop inside the API within its interval: a job
# untouched for this long is waiting for a worker.
QUEUED_FOR = 3.0
KEPT = "jobs-need-a-worker"  # the verdict's name in the run's state folder


def job_bound(timeout: float) -> float:
    """How long a started worker may take to finish a quick job: it starts (imports,
    connects), takes the job and records the outcome; twice the run's time for one
    program."""
    return 2 * timeout


def require(
    state: Path, workspace: Workspace, manifest: Manifest, timeout: float, seed: int
) -> None:
    """Pass when the project's jobs need its worker, and its worker finishes them; else
    raise the probe's failure (graded by needs-a-worker, or by the step it stood on)."""
    found = verdict(state, workspace, manifest, timeout, seed)
    if "failure" in found:
        raise shared.failure_from(found["failure"])


def verdict(
    state: Path, workspace: Workspace, manifest: Manifest, timeout: float, seed: int
) -> dict[str, Any]:
    """The probe's outcome, once per run: `lines` (its transcript) and, when it failed,
    `failure` (as `shared.failure_data`)."""

    def probe() -> dict[str, Any]:
        transcript = Transcript()
        values = ValueMaker(seed ^ zlib.crc32(KEPT.encode()))
        storage = Storage.fresh(workspace, manifest)
        try:
            _probe(Deployment(manifest, workspace, storage, transcript, timeout), values, timeout)
        except CheckFailed as failure:
            return {"failure": shared.failure_data(failure.of_step(NEEDS_A_WORKER)),
                    "lines": transcript.lines()}  # fmt: skip
        return {"lines": transcript.lines()}

    found: dict[str, Any] = shared.once(state, KEPT, probe)
    return found


def _probe(deployment: Deployment, values: ValueMaker, timeout: float) -> None:
    try:
        deployment.start()
        jobs, config = deployment.jobs, deployment.manifest.require_jobs()
        job = jobs.post("succeeds", values)
        deployment.transcript.add(f"# no worker runs: the job must stay {config.word(QUEUED)}")
        left = frozenset(state for state, _ in config.states if state != QUEUED)
        held = jobs.wait(job, until=left, bound=QUEUED_FOR)
        if held.done:
            raise _done_in_the_api(held.last, held.seconds, deployment)
        worker = deployment.worker()
        bound = job_bound(timeout)
        ended = jobs.wait(job, until=ENDED, bound=bound, watched=[worker])
        status = ended.last
        if ended.why == polling.WORKER_ENDED:
            raise CheckFailed(
                f"your worker ended before the job did: {worker.ended()}",
                ran=worker.command,
                got=f"the worker's last lines:\n{worker.log_tail(settle=0.1)}",
                expected="a worker that keeps running, taking one job after another, until "
                "it is stopped",
            )
        if ended.why == polling.BOUND:
            raise CheckFailed(
                f'the job\'s status was still "{config.word(status.state)}" {bound:.0f} s '
                "after your worker started",
                ran=status.answer.curl,
                got=f"{status.answer.describe()}\nthe worker's last lines:\n{worker.log_tail()}",
                expected=f"the job taken by the worker and {config.word('succeeded')}",
                fix=f"make `{worker.command}` take jobs whose status is queued from the "
                f"database {deployment.manifest.database.url_env} names, run them and record the "
                "outcome; start it by hand beside your server to see what it does",
            )
        if status.state == FAILED:
            raise CheckFailed(
                f"the job ended {config.word(FAILED)} with your worker running",
                ran=status.answer.curl,
                got=f"{status.answer.describe()}\nthe worker's last lines:\n{worker.log_tail()}",
                expected=f"{config.word('succeeded')}: [tool.roadmap.jobs.succeeds] is a "
                "job that succeeds",
            )
    finally:
        deployment.stop()


def _done_in_the_api(status: Status, seconds: float, deployment: Deployment) -> CheckFailed:
    config = deployment.manifest.require_jobs()
    word = config.word(status.state)
    return CheckFailed(
        f'the job\'s status was "{word}" {seconds:.1f} s after it was accepted, with no '
        "worker running: the work runs inside your API",
        ran=status.answer.curl,
        got=status.answer.describe(),
        expected=f'"{config.status_field}": "{config.word(QUEUED)}" until a worker takes the job',
        fix="FastAPI's BackgroundTasks, a thread or a task of the API's own runs in the API's "
        "process: it dies with it, and competes with its requests. Make POST only record "
        "the job (a row of a jobs table, queued) and let your worker command take it "
        "from the database",
    )
