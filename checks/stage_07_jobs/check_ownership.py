"""Jobs belong to the user who started them."""

from checks.harness.catalog import check
from checks.harness.doors.http.fixtures import Users
from checks.harness.doors.jobs.driver import LearnerJobs
from checks.harness.values import ValueMaker

HIDDEN = (404, 403)  # 404 as stage 4's records; 403 is accepted, as there


@check("others-jobs-404")
def check_others_jobs_404(jobs: LearnerJobs, users: Users, values: ValueMaker) -> None:
    """Another user's job status answers 404 (403 accepted), as another user's records do.

    Why: a job holds its owner's input and result: an import of their records, a report
    on them. A job's id in a URL is no secret (it is in logs and browser histories), so
    the status route must check who asks, as the records' routes do.

    Fix: store the owner with the job, and in the service that reads it, answer
    NotFound when the job belongs to someone else (an admin may see all).
    """
    job = jobs.post("succeeds", values)
    jobs.status(job)  # its owner can read it
    other = jobs.as_user(users.api_of("other").client.token)
    answer = other.read(job)
    if answer.status not in HIDDEN:
        raise answer.failure(
            f"another user's GET {job.location} answered {answer.status}",
            expected="404 Not Found: to anyone but its owner the job does not exist",
            fix="check the job's owner against the logged-in user when you read it, in the "
            "service layer, as for records",
        )
