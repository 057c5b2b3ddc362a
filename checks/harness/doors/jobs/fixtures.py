"""Fixtures of the jobs door.

Checks that start no worker use the shared server, as an ordinary user: no worker ever
runs on its database, so its jobs stay queued. Checks that start workers get a deployment
of their own; those that stand on a real worker (`worker_deployment`) only once the run's
verdict says the jobs need one (verdict.py): otherwise they are blocked by needs-a-worker
at once, before any server of theirs starts.
"""

from collections.abc import Iterator

import pytest

from checks.harness.doors.http.fixtures import Users
from checks.harness.doors.jobs import verdict
from checks.harness.doors.jobs.deployment import Deployment
from checks.harness.doors.jobs.driver import LearnerJobs
from checks.harness.doors.storage import Storage
from checks.harness.manifest import Manifest
from checks.harness.settings import Settings
from checks.harness.transcript import Transcript
from checks.harness.workspace import Workspace

OWNER = "owner"


@pytest.fixture
def jobs(users: Users) -> LearnerJobs:
    """The jobs of an ordinary user (`owner`) on the shared server, where no worker runs."""
    return LearnerJobs(users.api_of(OWNER))


@pytest.fixture
def jobs_deployment(
    installed: Workspace,
    manifest: Manifest,
    storage: Storage,
    transcript: Transcript,
    run_settings: Settings,
) -> Iterator[Deployment]:
    """A server of this check's own, signed in, and the workers it starts, on this check's
    storage."""
    own = Deployment(manifest, installed, storage, transcript, run_settings.timeout)
    try:
        own.start()
        yield own
    finally:
        own.stop()


@pytest.fixture
def worker_deployment(
    request: pytest.FixtureRequest,
    installed: Workspace,
    manifest: Manifest,
    run_settings: Settings,
) -> Deployment:
    """`jobs_deployment`, for a check that stands on a real worker: blocked by needs-a-worker
    when the jobs need none, or the worker finishes none."""
    assert run_settings.state is not None, "the run's state folder is set before the checks"
    verdict.require(
        run_settings.state, installed, manifest, run_settings.timeout, run_settings.seed
    )
    own: Deployment = request.getfixturevalue("jobs_deployment")
    return own
