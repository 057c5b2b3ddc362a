"""A worker of its own, on PostgreSQL: jobs wait for it, and survive either side being killed."""

import re
from typing import Any

from checks.harness import shared
from checks.harness.catalog import check
from checks.harness.doors.jobs import outcomes, polling, verdict
from checks.harness.doors.jobs.deployment import Deployment
from checks.harness.doors.jobs.driver import ENDED, FAILED, RUNNING, SUCCEEDED
from checks.harness.manifest import Manifest
from checks.harness.settings import Settings
from checks.harness.transcript import Transcript
from checks.harness.values import ValueMaker
from checks.harness.workspace import Workspace

ATTEMPTS = re.compile(r"attempt", re.I)
# Slow jobs to start before one is seen running: on a loaded machine a few reads of its
# status can take as long as the job, so one ended unseen proves nothing yet.
RUNNING_TRIES = 3


@check("needs-a-worker")
def check_needs_a_worker(
    installed: Workspace, manifest: Manifest, transcript: Transcript, run_settings: Settings
) -> None:
    """With no worker running a job stays queued; starting your worker command finishes it.

    Why: work done inside the API (FastAPI's BackgroundTasks, a thread) is lost when the
    API restarts or crashes, competes with the requests it should answer, and cannot be
    scaled apart from them. A queue in PostgreSQL and a worker of its own keep the job
    until someone finishes it.

    Fix: make POST only insert the job (status queued); write the worker command the
    manifest names: a loop that claims the oldest queued job (`SELECT … FOR UPDATE SKIP
    LOCKED`), marks it running, does the work and records the outcome.
    """
    assert run_settings.state is not None
    found = verdict.verdict(
        run_settings.state, installed, manifest, run_settings.timeout, run_settings.seed
    )
    for line in found["lines"]:  # whichever check's process ran the probe
        transcript.add(line)
    if "failure" in found:
        raise shared.failure_from(found["failure"])


@check("survives-api-kill")
def check_survives_api_kill(
    worker_deployment: Deployment, values: ValueMaker, run_settings: Settings
) -> None:
    """A job accepted just before the API is killed (SIGKILL) is still done once it restarts.

    Why: a deploy, a crash or the out-of-memory killer stops the API at any moment,
    without a chance to clean up. A client told "202 Accepted" was promised the job: it
    must be in the database before the answer leaves, not in the API's memory.

    Fix: insert the job and commit before answering 202 (no in-memory queue, no write
    after the answer); the worker then finds it whatever happens to the API.
    """
    deployment = worker_deployment
    jobs = deployment.jobs
    job = jobs.post("succeeds", values)
    deployment.kill_api("the checker kills the server (SIGKILL) right after it accepted the job")
    deployment.start_api()
    answer = jobs.read(job)
    if answer.status == 404:
        raise answer.failure(
            "the job the API had accepted was gone once the API was restarted",
            expected="the job, as the API left it, in the database",
            fix="write the job to the database, and commit, before answering 202: a job "
            "kept in the API's memory dies with it",
        )
    jobs.status_of(answer)
    worker = deployment.worker()
    bound = verdict.job_bound(run_settings.timeout)
    status = outcomes.wait_until_ended(jobs, job, [worker], bound, "your worker started")
    outcomes.require_succeeded(jobs, status)


@check("worker-crash", advisory=True)
def check_worker_crash(
    worker_deployment: Deployment, values: ValueMaker, run_settings: Settings
) -> None:
    """A job whose worker is killed mid-job ends succeeded after a restart, or failed with attempts.

    Why: a worker dies like anything else, in the middle of a job. A job marked running
    forever is lost without a trace; a lease (a time after which another worker may take
    it again) and a count of attempts make the queue recover on its own, and say what
    happened.

    Fix: when a worker claims a job, set `lease_until` a little past now and renew it
    while it works (a heartbeat below `stalled_after`); let a worker claim a running job
    whose lease has expired, and count the attempts (fail the job after a few).
    """
    deployment, config = worker_deployment, worker_deployment.manifest.require_jobs()
    jobs = deployment.jobs
    worker = deployment.worker()
    bound = verdict.job_bound(run_settings.timeout)
    for tried in range(1, RUNNING_TRIES + 1):
        job = jobs.post("slow", values)
        seen = jobs.wait(job, frozenset({RUNNING, *ENDED}), bound, [worker])
        if seen.why == polling.WORKER_ENDED and seen.worker is not None:
            raise outcomes.worker_ended(seen.worker, jobs, seen.last)
        if seen.why == polling.BOUND:
            raise seen.last.answer.failure(
                f'the slow job\'s status was still "{config.word(seen.last.state)}" '
                f"{bound:.0f} s after it was accepted, with your worker running",
                expected=f'"{config.status_field}": "{config.word(RUNNING)}" while the worker '
                "works on it",
            )
        if seen.last.state not in ENDED:
            break
        if tried == RUNNING_TRIES:
            raise seen.last.answer.failure(
                f"each of {RUNNING_TRIES} slow jobs had ended before the checker saw it "
                f'"{config.word(RUNNING)}"',
                expected=f'"{config.status_field}": "{config.word(RUNNING)}" while the '
                "worker works on it, for the seconds the slow job takes",
                fix="mark the job running when the worker claims it, and make "
                "[tool.roadmap.jobs.slow] a job that takes a few seconds",
            )
    worker.kill(deployment.transcript, "the checker kills the worker (SIGKILL) mid-job")
    restarted = deployment.worker()
    # The new worker starts while the lease runs out; then it has a program's time to
    # take the job again and finish it.
    waited = config.stalled_after + run_settings.timeout
    ended = jobs.wait(job, ENDED, waited, [restarted])
    if ended.why == polling.WORKER_ENDED and ended.worker is not None:
        raise outcomes.worker_ended(ended.worker, jobs, ended.last)
    if ended.why == polling.BOUND:
        raise ended.last.answer.failure(
            f'the job was still "{config.word(ended.last.state)}" {waited:.0f} s after its '
            f"worker was killed and another started (stalled_after = {config.stalled_after} s)",
            expected=f"the job taken again once its worker had been silent for "
            f"{config.stalled_after} s, and {config.word(SUCCEEDED)} or {config.word(FAILED)}",
            fix="a job whose worker died stays running forever unless another worker may "
            "take it: give each claim a lease (lease_until), renew it while the job runs, "
            "and let a worker claim a running job whose lease has expired; set "
            "stalled_after in [tool.roadmap.jobs] to your lease",
        )
    status = ended.last
    if status.state == SUCCEEDED:
        return
    assert status.state == FAILED
    if not _attempts(status.body):
        raise status.answer.failure(
            f'the job ended "{config.word(FAILED)}" after its worker was killed, without saying '
            "how many attempts it had",
            expected=f'"{config.word(SUCCEEDED)}" after another attempt, or '
            f'"{config.word(FAILED)}" with "attempts": N',
            fix="count the attempts in the jobs table and answer them in the status",
        )


def _attempts(body: dict[str, Any]) -> bool:
    """Whether the status counts the attempts made: a key that says so, with a number."""
    return any(
        ATTEMPTS.search(key) and isinstance(value, int) and not isinstance(value, bool)
        for key, value in body.items()
    )
