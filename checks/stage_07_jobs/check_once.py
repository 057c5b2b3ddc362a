"""Each job runs once: with two workers at once, and when a client sends it twice."""

import secrets

from checks.harness.catalog import check
from checks.harness.doors.jobs import outcomes, verdict
from checks.harness.doors.jobs.deployment import Deployment
from checks.harness.doors.jobs.driver import Job, LearnerJobs
from checks.harness.doors.jobs.payloads import matches
from checks.harness.failure import CheckFailed, shown_json
from checks.harness.settings import Settings
from checks.harness.values import ValueMaker, same_value

JOBS = 4  # slow ones, two per worker: they overlap, so two workers meet on the queue
KEY = "Idempotency-Key"


@check("runs-once", advisory=True)
def check_runs_once(
    worker_deployment: Deployment, values: ValueMaker, run_settings: Settings
) -> None:
    """Two workers at once run each job exactly once: one result each, no duplicate records.

    Why: one worker is rarely enough, and two that take the same job do its work twice:
    two imports of the same records, two e-mails, two charges. Claiming a job must be a
    single step that only one worker can win.

    Fix: claim with one statement in one transaction: `SELECT … WHERE status = 'queued'
    ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED`, then set it running before the commit;
    never read a job, then mark it in a second step.
    """
    deployment = worker_deployment
    jobs = deployment.jobs
    started = [jobs.post("slow", values) for _ in range(JOBS)]
    workers = [deployment.worker(), deployment.worker()]
    bound = verdict.job_bound(run_settings.timeout) + JOBS * run_settings.timeout / 2
    for job in started:
        status = outcomes.wait_until_ended(jobs, job, workers, bound, "two workers started")
        outcomes.require_succeeded(jobs, status)
        expected, result = job.expected, status.field(jobs.config.result_field)
        if expected is not None and not matches(expected, result):
            raise status.answer.failure(
                "with two workers, a job's result is not what its input gives",
                expected=f'"{jobs.config.result_field}": {shown_json(expected)}',
            )
    _require_no_duplicates(deployment, jobs, started)


def _require_no_duplicates(deployment: Deployment, jobs: LearnerJobs, started: list[Job]) -> None:
    """Each job's values are in at most one record: a job run twice imports twice."""
    api, fields = jobs.api, jobs.api.manifest.fields
    used = [jobs.used(job) for job in started]
    for values in used:
        deployment.storage.sent(values)  # records the jobs made, not strangers
    size = min(100, api.config.max_page_size or 100)
    listed = api.listing(api.page(0, size))
    for values in used:
        found = [r for r in listed if values and all(same_value(fields[k], v, r.get(k))
                                                     for k, v in values.items())]  # fmt: skip
        if len(found) > 1:
            raise CheckFailed(
                f"a job's records are there {len(found)} times after two workers ran",
                ran=api.curl("GET", api.config.collection),
                got="\n".join(shown_json(record, 200) for record in found),
                expected=f"one {api.manifest.record} for each line of each job",
            )


@check("idempotency-key", advisory=True)
def check_idempotency_key(jobs: LearnerJobs, values: ValueMaker) -> None:
    """The same `Idempotency-Key` sent twice starts one job: the second answer names the first.

    Why: a client whose connection dropped does not know whether its job was accepted,
    so it sends it again. With a key of its own on both requests, the server can tell a
    retry from a new job, and the work is done once.

    Fix: store the `Idempotency-Key` header with the job (unique per user); when a job
    with the same key and user exists, answer it again instead of inserting another.
    """
    key = f"roadmap-{secrets.token_hex(8)}"
    first = jobs.post("slow", values, headers={KEY: key})
    again = jobs.post("slow", values, headers={KEY: key}, record=first.record)
    if again.id != first.id:
        raise again.accepted.failure(
            f"the same {KEY} started a second job",
            expected=f"the first job again: {first.location}",
            fix="look the key up before inserting; answer the job that has it",
        )
