"""A check's own deployment of the learner's jobs: a server and its workers on one storage.

The checks about workers start, kill and restart the processes of a small deployment:
the API (uvicorn, as the HTTP door serves it) and any number of workers, all on the
check's own database, so a worker here takes only this check's jobs. Killing is a
SIGKILL to a process's whole group, at once; every start and kill is a line of the
check's transcript, so the learner can do the same in their shell.
"""

from __future__ import annotations

from checks.harness.doors.http.accounts import new_user
from checks.harness.doors.http.fixtures import SERVER_STARTS
from checks.harness.doors.http.resource import LearnerApi
from checks.harness.doors.jobs.driver import LearnerJobs
from checks.harness.doors.jobs.worker import Worker
from checks.harness.doors.storage import Storage
from checks.harness.failure import CheckFailed
from checks.harness.manifest import Manifest
from checks.harness.transcript import Transcript
from checks.harness.workspace import Workspace

USER = "owner"  # the user whose jobs the deployment starts (TOKEN_OWNER in a transcript)


class Deployment:
    def __init__(
        self,
        manifest: Manifest,
        workspace: Workspace,
        storage: Storage,
        transcript: Transcript,
        timeout: float,
    ) -> None:
        self.manifest, self.workspace, self.storage = manifest, workspace, storage
        self.api = LearnerApi.serve(manifest, workspace, storage, transcript, timeout)
        self.workers: list[Worker] = []
        self._token: str | None = None

    @property
    def transcript(self) -> Transcript:
        return self.api.transcript

    @property
    def jobs(self) -> LearnerJobs:
        """The jobs door, logged in as the deployment's user (once `start` has run)."""
        return LearnerJobs(self.api.with_auth(self._token))

    def start(self) -> None:
        """Start the server and sign a user up: the steps stages 3 and 4 grade."""
        try:
            self.api.start()
        except CheckFailed as failure:  # blocked when 03-api/server-starts failed too
            raise failure.of_step(SERVER_STARTS) from None
        self._token = new_user(self.api, USER).token

    def worker(self) -> Worker:
        """Start one more worker on the deployment's storage, as the manifest says."""
        number = len(self.workers) + 1
        worker = Worker(
            self.manifest.require_jobs().worker,
            cwd=self.workspace.project,
            env=self.workspace.env(**self.storage.env()),
            variable="WORKER" if number == 1 else f"WORKER_{number}",
        )
        self.workers.append(worker)
        worker.start(self.transcript)
        return worker

    def kill_api(self, why: str) -> None:
        """SIGKILL the server's whole process group, now."""
        self.transcript.add(f"kill -9 $!  # {why}")
        self.api.served.server.stop()

    def start_api(self) -> None:
        """Start the server again, on the same storage (a fresh port if the old one is
        still held)."""
        for line in self.api.served.start_lines:
            self.transcript.add(line)
        try:
            self.api.start()
        except CheckFailed as failure:
            raise failure.of_step(SERVER_STARTS) from None

    def stop(self) -> None:
        for worker in self.workers:
            worker.stop()
        self.api.stop()
