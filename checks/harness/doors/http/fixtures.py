"""Fixtures of the HTTP door: the learner's server, shared or a check's own.

Most checks share one server per worker (each adds its own records, so they cannot disturb
one another); a check that needs an empty database or a restart gets a server of its own,
on the same storage as its `cli`, so the CLI and the API can be pointed at one database.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from checks.harness.doors.http.accounts import operator_login
from checks.harness.doors.http.resource import LearnerApi
from checks.harness.doors.storage import Storage
from checks.harness.failure import Blocked, CheckFailed
from checks.harness.manifest import Manifest
from checks.harness.settings import Settings
from checks.harness.transcript import Transcript
from checks.harness.workspace import Workspace

SERVER_STARTS = "03-api/server-starts"


@dataclass(frozen=True)
class SharedServer:
    """The server most checks share, or why it did not start (for 03-api/server-starts)."""

    api: LearnerApi
    failure: CheckFailed | None  # it did not start
    # Stage 4: the operator's login, made when a check first needs it (or why it failed):
    # checks that sign their own users up never wait for it.
    logins: list[LearnerApi | CheckFailed] = field(default_factory=list)

    def logged_in(self) -> LearnerApi:
        if not self.logins:
            try:
                self.logins.append(operator_login(self.api))
            except CheckFailed as error:  # a failure of the login step, graded by its check
                self.logins.append(error)
        login = self.logins[0]
        if isinstance(login, CheckFailed):
            raise login
        return login


@pytest.fixture(scope="session")
def shared_server(
    installed: Workspace, manifest: Manifest, run_settings: Settings
) -> Iterator[SharedServer]:
    storage = Storage.fresh(installed, manifest.data_env)
    api = LearnerApi.serve(manifest, installed, storage, Transcript(), run_settings.timeout)
    failure = None
    try:
        api.start()
    except CheckFailed as error:
        failure = error
    try:
        yield SharedServer(api, failure)
    finally:
        api.stop()


@pytest.fixture
def api(shared_server: SharedServer, transcript: Transcript) -> LearnerApi:
    """The shared server, logging into this check's transcript."""
    if shared_server.failure is not None:
        raise Blocked(SERVER_STARTS, "your server did not start")
    return shared_server.logged_in().with_transcript(transcript)


@pytest.fixture
def stranger_api(shared_server: SharedServer, transcript: Transcript) -> LearnerApi:
    """The shared server, for a client that has not logged in (stage 4: the checks that
    sign users up themselves, and must not stand on the operator's login)."""
    if shared_server.failure is not None:
        raise Blocked(SERVER_STARTS, "your server did not start")
    return shared_server.api.with_auth(None).with_transcript(transcript)


@pytest.fixture
def own_api(
    installed: Workspace,
    manifest: Manifest,
    storage: Storage,
    transcript: Transcript,
    run_settings: Settings,
) -> Iterator[LearnerApi]:
    """A server of this check's own, on this check's (empty) storage."""
    api = LearnerApi.serve(manifest, installed, storage, transcript, run_settings.timeout)
    try:
        api.start()
    except CheckFailed:
        raise Blocked(SERVER_STARTS, "your server did not start") from None
    try:
        yield operator_login(api)
    finally:
        api.stop()
