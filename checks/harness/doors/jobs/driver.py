"""The learner's jobs over HTTP: start one, read its status, wait for a state.

`LearnerJobs` is a value over a `LearnerApi` (a server and a login), as the records' door
is: starting a job is `POST start` with one of the manifest's payloads, filled with a
fresh record; its status is `GET Location`. Both steps are graded by
`07-jobs/accepted-202`, so a check that cannot start or read a job is blocked by it.
Waiting polls quietly (`polling.py`) and puts only its last answer in the transcript.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from checks.harness.doors.http.client import Answer
from checks.harness.doors.http.resource import LearnerApi
from checks.harness.doors.jobs import payloads, polling
from checks.harness.doors.jobs.worker import Worker
from checks.harness.failure import CheckFailed
from checks.harness.manifest.jobs import STATES, Jobs, placeholders
from checks.harness.transcript import Capture, Transcript
from checks.harness.values import ValueMaker

ACCEPTED = "07-jobs/accepted-202"  # grades starting a job and reading its status
QUEUED, RUNNING, SUCCEEDED, FAILED = STATES
ENDED = frozenset({SUCCEEDED, FAILED})
TABLE_HINT = "say your words in [tool.roadmap.jobs] (start, status_field, states)"


@dataclass(frozen=True)
class Job:
    kind: str  # "succeeds", "slow" or "fails": the manifest's payload it was started with
    location: str  # the status resource's path, from the Location header
    id: str
    record: dict[str, str]  # the values the payload was filled with
    expected: Any  # the result it must end with (filled), or None when any will do
    accepted: Answer
    seconds: float  # how long POST took to answer


@dataclass(frozen=True)
class Status:
    answer: Answer
    body: dict[str, Any]
    state: str  # one of STATES

    def field(self, name: str) -> Any:
        return self.body.get(name)


@dataclass(frozen=True)
class LearnerJobs:
    api: LearnerApi

    @property
    def config(self) -> Jobs:
        return self.api.manifest.require_jobs()

    @property
    def transcript(self) -> Transcript:
        return self.api.transcript

    def as_user(self, token: str | None) -> LearnerJobs:
        return replace(self, api=self.api.with_auth(token))

    def body(self, kind: str, record: dict[str, str]) -> Any:
        payload = getattr(self.config, kind)
        return payloads.fill(payload.body, record, self.api.manifest.fields)

    def used(self, job: Job) -> dict[str, str]:
        """The record's values the job's payload holds (its placeholders' fields)."""
        named = set(placeholders(getattr(self.config, job.kind).body))
        return {name: value for name, value in job.record.items() if name in named}

    def post(
        self,
        kind: str,
        values: ValueMaker,
        headers: dict[str, str] | None = None,
        record: dict[str, str] | None = None,
    ) -> Job:
        """POST a `kind` payload filled with a fresh record (or `record`); any 2xx with a
        Location is a job (the check that wants 202 says so). A job that cannot be
        started fails at the step it stands on."""
        record = record or values.record(self.api.manifest.fields)
        began = time.monotonic()
        answer = self.api.request(
            "POST", self.config.start, body=self.body(kind, record), headers=headers
        )
        seconds = time.monotonic() - began
        answer.expect(
            200, 201, 202, doing=f"starting a job ({kind} payload)", step=ACCEPTED,
            fix=f"make POST {self.config.start} record the job and answer 202 at once",
        )  # fmt: skip
        location = self._location(answer)
        job_id = self._id(answer, location)
        payload = getattr(self.config, kind)
        expected = payloads.fill(payload.result, record, self.api.manifest.fields)
        return Job(kind, location, job_id, record, expected, answer, seconds)

    def read(self, job: Job, quiet: bool = False) -> Answer:
        """GET the job's status resource, whatever it answers (but a 5xx)."""
        api = self.api.with_transcript(Transcript()) if quiet else self.api
        return api.request("GET", job.location)

    def status(self, job: Job, quiet: bool = False) -> Status:
        """GET the job's status resource: 200, a JSON object, a declared state."""
        return self.status_of(self.read(job, quiet))

    def status_of(self, answer: Answer) -> Status:
        answer.expect(200, doing="reading a job's status", step=ACCEPTED)
        body = answer.json()
        field = self.config.status_field
        word = body.get(field) if isinstance(body, dict) else None
        state = self.config.state_of(word)
        if not isinstance(body, dict) or state is None:
            words = ", ".join(f'"{w}"' for _, w in self.config.states)
            raise answer.failure(
                f'the job\'s status does not say its state in "{field}" with a declared word',
                expected=f'a JSON object with "{field}": one of {words}',
                fix=f'answer the state in "{field}", or {TABLE_HINT}',
                step=ACCEPTED,
            )
        return Status(answer, body, state)

    def wait(
        self, job: Job, until: frozenset[str], bound: float, watched: Sequence[Worker] = ()
    ) -> polling.Waited[Status]:
        """Poll the job until its state is one of `until`, at most `bound` seconds, or a
        watched worker ended; the last answer goes in the transcript, after a line that
        says how long the checker asked."""

        def read() -> Status:
            try:
                return self.status(job, quiet=True)
            except CheckFailed as quiet:
                # Once more, in the transcript: its failure shows the request as sent and
                # what came back. A read that fails only once still fails the check.
                self.status(job)
                quiet.ran = self.api.curl("GET", job.location)
                raise

        waited = polling.wait(read, lambda status: status.state in until, bound, watched)
        self.transcript.add(
            f"# the checker asked every {polling.INTERVAL:.1f} s for {waited.seconds:.1f} s; "
            "the last answer:"
        )
        last = waited.last
        step = last.answer.step
        if step is None:
            return waited
        step.saw += f'; "{self.config.status_field}": "{self.config.word(last.state)}"'
        self.transcript.add(step)
        # Shown as the check's transcript names things ($TOKEN_OWNER, $JOB_ID).
        answer = replace(last.answer, curl=self.transcript.shown(step))
        return replace(waited, last=replace(last, answer=answer))

    # What POST answered ---------------------------------------------------------------

    def _location(self, answer: Answer) -> str:
        location = answer.header("location")
        if not location:
            raise answer.failure(
                f"{answer.request} started a job but gave no Location header",
                expected="202 Accepted with Location: the path of the job's status, as "
                f"{self.config.start}/ID",
                fix="set the header on the answer (response.headers['Location'] = ...), "
                "pointing at the route that reads the job",
                step=ACCEPTED,
            )
        parts = urlsplit(location)
        path = parts.path if parts.path.startswith("/") else f"{self.config.start}/{parts.path}"
        return path + (f"?{parts.query}" if parts.query else "")

    def _id(self, answer: Answer, location: str) -> str:
        """The job's id: a value of the answer's JSON that is the Location's last part."""
        body = answer.json()
        last = location.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        found = (
            next((k for k, v in body.items() if str(v) == last and v is not None), None)
            if isinstance(body, dict)
            else None
        )
        if found is None or self.config.status_field not in body:
            raise answer.failure(
                "the answer to starting a job does not hold the job's id and its status",
                expected=f"a JSON object with the job's id ({last}, as in Location) and "
                f'"{self.config.status_field}"',
                step=ACCEPTED,
            )
        if answer.step is not None:
            answer.step.capture = Capture("JOB_ID", found, last)
        return last
