"""A job that fails is recorded as failed, with its error, and the next job still runs."""

from checks.harness.catalog import check
from checks.harness.doors.jobs import outcomes, verdict
from checks.harness.doors.jobs.deployment import Deployment
from checks.harness.doors.jobs.driver import FAILED, SUCCEEDED
from checks.harness.failure import shown_json
from checks.harness.settings import Settings
from checks.harness.values import ValueMaker


@check("failure-recorded")
def check_failure_recorded(
    worker_deployment: Deployment, values: ValueMaker, run_settings: Settings
) -> None:
    """Input that validates but fails in the work ends failed, with an error; the next job runs.

    Why: some input is only found wrong halfway through the work. A worker that crashes on
    it takes the queue down with it, and a status that answers 500 tells the client
    nothing; a job marked failed, with a message, tells it what to fix, and the worker
    goes on with the next job.

    Fix: run each job inside `try`/`except Exception`; on an error, roll back the job's
    work, record `status = failed` and the error's message, and go on to the next job.
    The status route answers 200 for a failed job: the request to read it succeeded.
    """
    deployment = worker_deployment
    jobs, config = deployment.jobs, deployment.manifest.require_jobs()
    worker = deployment.worker()
    bound = verdict.job_bound(run_settings.timeout)
    job = jobs.post("fails", values)
    status = outcomes.wait_until_ended(jobs, job, [worker], bound, "it was accepted")
    if status.state == SUCCEEDED:
        raise status.answer.failure(
            f'a job whose input cannot be processed ended "{config.word(SUCCEEDED)}"',
            expected=f'"{config.status_field}": "{config.word(FAILED)}" (sent: '
            f"{shown_json(jobs.body('fails', job.record))})",
            fix="make [tool.roadmap.jobs.fails] a payload your API accepts and your worker "
            "cannot process (a value it cannot read), or make the worker fail on it",
        )
    error = status.field(config.error_field)
    if not (isinstance(error, str) and error.strip()) and not isinstance(error, dict):
        raise status.answer.failure(
            f'the {config.word(FAILED)} job does not say what went wrong in "{config.error_field}"',
            expected=f'"{config.error_field}": a message for the client, such as "line 2: '
            "amount 'not-a-number' is not a number\"",
            fix="store the error's message with the job when it fails, and answer it",
        )
    after = jobs.post("succeeds", values)
    status = outcomes.wait_until_ended(jobs, after, [worker], bound, "the job before it failed")
    outcomes.require_succeeded(jobs, status)
