"""How a job ended, or why the checker stopped waiting for it, as a learner reads it.

The checks that run a worker all wait the same way (`LearnerJobs.wait`) and meet the
same three answers besides the one they want: the worker ended on its own, the job was
still unfinished at the bound, or it ended in the other state. Each is one failure here,
with the worker's last lines, which is where the learner finds why.
"""

from __future__ import annotations

from collections.abc import Sequence

from checks.harness.doors.jobs import polling
from checks.harness.doors.jobs.driver import ENDED, FAILED, SUCCEEDED, Job, LearnerJobs, Status
from checks.harness.doors.jobs.worker import Worker
from checks.harness.failure import CheckFailed, shown_json


def wait_until_ended(
    jobs: LearnerJobs, job: Job, watched: Sequence[Worker], bound: float, after: str
) -> Status:
    """The job's status once it has ended; a failure when its worker ended first, or it
    had not ended `bound` seconds later. `after` says since what, for the message."""
    waited = jobs.wait(job, ENDED, bound, watched)
    if waited.why == polling.WORKER_ENDED and waited.worker is not None:
        raise worker_ended(waited.worker, jobs, waited.last)
    if waited.why == polling.BOUND:
        state = jobs.config.word(waited.last.state)
        raise CheckFailed(
            f'the job\'s status was still "{state}" {bound:.0f} s after {after}',
            ran=waited.last.answer.curl,
            got=f"{waited.last.answer.describe()}\n{workers_said(watched)}",
            expected=f"the job {jobs.config.word(SUCCEEDED)} or {jobs.config.word(FAILED)} by then",
            fix="start your worker by hand beside your server, start the same job, and "
            "watch what the worker prints: does it take jobs from the database "
            f"{jobs.api.manifest.database.url_env} names, and record how each ends?",
        )
    return waited.last


def worker_ended(worker: Worker, jobs: LearnerJobs, status: Status) -> CheckFailed:
    return CheckFailed(
        f'your worker ended while the job was "{jobs.config.word(status.state)}": {worker.ended()}',
        ran=worker.command,
        got=f"the worker's last lines:\n{worker.log_tail(settle=0.1)}",
        expected="a worker that keeps running, one job after another, until it is stopped; "
        "a job that fails is recorded as failed, and the worker takes the next",
    )


def require_succeeded(jobs: LearnerJobs, status: Status) -> None:
    if status.state == SUCCEEDED:
        return
    error = status.field(jobs.config.error_field)
    said = f": {shown_json(error, 300)}" if error not in (None, "") else ""
    raise CheckFailed(
        f'the job ended "{jobs.config.word(status.state)}"{said}',
        ran=status.answer.curl,
        got=status.answer.describe(),
        expected=f'"{jobs.config.status_field}": "{jobs.config.word(SUCCEEDED)}": its '
        "payload is one that succeeds",
        fix="run the same job by hand and read the worker's output for the error; if the "
        "payload is wrong, fix it in [tool.roadmap.jobs]",
    )


def workers_said(workers: Sequence[Worker]) -> str:
    return "\n".join(
        f"the worker{'' if len(workers) == 1 else f' ${w.variable}'}'s last lines:\n{w.log_tail()}"
        for w in workers
    )
