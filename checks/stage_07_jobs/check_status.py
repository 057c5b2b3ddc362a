"""A job's status can be polled until it ends, and says when and with what result."""

import datetime as dt
from email.utils import parsedate_to_datetime
from typing import Any

from checks.harness.catalog import check
from checks.harness.doors.jobs import outcomes, verdict
from checks.harness.doors.jobs.deployment import Deployment
from checks.harness.doors.jobs.driver import ENDED, LearnerJobs
from checks.harness.doors.jobs.payloads import matches
from checks.harness.failure import shown_json
from checks.harness.settings import Settings
from checks.harness.values import ValueMaker


@check("status-reaches-succeeded")
def check_status_reaches_succeeded(
    jobs_deployment: Deployment, values: ValueMaker, run_settings: Settings
) -> None:
    """With your worker running, a job's status reaches succeeded, with the right result.

    Why: the client that got 202 comes back to the status resource to learn how its job
    ended; "succeeded" without the result (or with a wrong one) leaves it where it
    started. The checker knows the input, so it knows the result to expect.

    Fix: when the worker finishes a job, store the result with it (a JSON column) and
    show it in `GET /v1/imports/{id}` as `"result"`, with the timestamps of when the job
    was created, started and finished.
    """
    deployment = jobs_deployment
    jobs = deployment.jobs
    worker = deployment.worker()
    job = jobs.post("succeeds", values)
    bound = verdict.job_bound(run_settings.timeout)
    status = outcomes.wait_until_ended(jobs, job, [worker], bound, "it was accepted")
    outcomes.require_succeeded(jobs, status)
    config = jobs.config
    result = status.body.get(config.result_field)
    if result is None:
        raise status.answer.failure(
            f'the status of a {config.word("succeeded")} job has no "{config.result_field}"',
            expected=f'"{config.result_field}": '
            + (shown_json(job.expected) if job.expected is not None else "what the job made"),
            fix=f"store the job's result when it ends and answer it as "
            f'"{config.result_field}" (or name your field with result_field in '
            "[tool.roadmap.jobs])",
        )
    if job.expected is not None and not matches(job.expected, result):
        raise status.answer.failure(
            f'the job\'s "{config.result_field}" is not what its input gives',
            expected=f'"{config.result_field}": {shown_json(job.expected)} (sent: '
            f"{shown_json(jobs.body('succeeds', job.record))})",
            fix="compute the result from the job's own payload, as the worker read it from "
            "the database; [tool.roadmap.jobs.succeeds] result says what the checker expects",
        )
    if not any(_is_timestamp(value) for value in status.body.values()):
        raise status.answer.failure(
            "the job's status says nothing of when it ran",
            expected='timestamps such as "created_at", "started_at", "finished_at" '
            '(ISO 8601: "2026-01-31T12:00:00Z")',
            fix="record when the job was created, started and finished, and answer them",
        )


@check("retry-after", advisory=True)
def check_retry_after(jobs: LearnerJobs, values: ValueMaker) -> None:
    """The status of an unfinished job says when to ask again (`Retry-After`).

    Why: a client that polls too often loads your API for nothing, and one that polls
    too rarely makes its user wait. `Retry-After` (seconds) lets the server set the pace,
    and well-behaved clients and libraries follow it.

    Fix: while the job is queued or running, add `Retry-After: 1` (or the seconds you
    expect) to the status answer; leave it out once the job has ended.
    """
    job = jobs.post("slow", values)
    status = jobs.status(job)
    if status.state in ENDED:
        raise status.answer.failure(
            "the slow job had already ended when the checker first asked",
            expected="a job still queued or running, with Retry-After",
            fix="make [tool.roadmap.jobs.slow] a job that takes seconds (the brief's "
            "delay_seconds), so its status can be seen unfinished",
        )
    said = status.answer.header("retry-after")
    if said is None or not _delay(said):
        raise status.answer.failure(
            f"the status of a {jobs.config.word(status.state)} job has "
            + ("no Retry-After" if said is None else f"Retry-After: {said}"),
            expected="Retry-After: a whole number of seconds (or an HTTP date) while the job "
            "is unfinished",
        )


def _is_timestamp(value: Any) -> bool:
    if not isinstance(value, str) or len(value) < 10:
        return False
    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _delay(value: str) -> bool:
    """A Retry-After value as HTTP has it: delay-seconds, or an HTTP date."""
    if value.strip().isdigit():
        return True
    try:
        parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return False
    return True
