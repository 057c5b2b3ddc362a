"""Fixtures of the HTTP door: the learner's server, shared or a check's own.

Most checks share one server per worker (each adds its own records, so they cannot disturb
one another); a check that needs an empty database or a restart gets a server of its own,
on the same storage as its `cli`, so the CLI and the API can be pointed at one database.
"""

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

import pytest

from checks.harness.doors.http.accounts import User, acting_login, as_operator, new_user
from checks.harness.doors.http.resource import LearnerApi
from checks.harness.doors.storage import Storage
from checks.harness.failure import Blocked, CheckFailed
from checks.harness.manifest import Manifest
from checks.harness.settings import Settings
from checks.harness.transcript import Step, Transcript
from checks.harness.workspace import Workspace

SERVER_STARTS = "03-api/server-starts"


T = TypeVar("T")


def _kept(kept: dict[str, T | CheckFailed], key: str, make: Callable[[], T]) -> T:
    """`make()`, once per worker: later callers get what it made, or the learner-facing
    failure it met again (graded by the check of the step that failed)."""
    if key not in kept:
        try:
            kept[key] = make()
        except CheckFailed as error:
            kept[key] = error
    made = kept[key]
    if isinstance(made, CheckFailed):
        raise made
    return made


@dataclass(frozen=True)
class SharedServer:
    """The server most checks share, or why it did not start (for 03-api/server-starts)."""

    api: LearnerApi
    failure: CheckFailed | None  # it did not start
    # The login the stage 1-3 checks act as (accounts.acting_login), made when a check
    # first needs it (or why it failed): checks that sign their own users up never wait.
    logins: dict[str, tuple[LearnerApi, tuple[Step, ...]] | CheckFailed] = field(
        default_factory=dict
    )

    def logged_in(self, transcript: Transcript) -> LearnerApi:
        """The shared server, logged in, writing to `transcript` (with the login's lines,
        so the check's `try` lines paste)."""
        api, steps = _kept(self.logins, "acting", lambda: acting_login(self.api))
        for step in steps:
            transcript.add(step)
        return api.with_transcript(transcript)


@dataclass(frozen=True)
class Users:
    """Stage 4: ordinary users, signed up once per worker and named by their part ("owner",
    "other"), for the checks that need some user rather than a new one. Each sign-up and
    login costs the server a slow password hash, and the checks about tokens and ownership
    only read these accounts; the checks about signing up and logging in make their own."""

    made: dict[str, User | CheckFailed]
    api: LearnerApi  # not logged in, writing to the asking check's transcript

    def user(self, part: str) -> User:
        made = _kept(self.made, part, lambda: new_user(self.api, part))
        for step in made.made_by:  # so the check's `try` lines paste, whoever made the user
            if step not in self.api.transcript:
                self.api.transcript.add(step)
        return made

    def api_of(self, part: str) -> LearnerApi:
        """The API logged in as that user."""
        return self.api.with_auth(self.user(part).token)


@pytest.fixture(scope="session")
def shared_server(
    installed: Workspace, manifest: Manifest, run_settings: Settings
) -> Iterator[SharedServer]:
    storage = Storage.fresh(installed, manifest)
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
    return shared_server.logged_in(transcript)


@pytest.fixture
def stranger_api(shared_server: SharedServer, transcript: Transcript) -> LearnerApi:
    """The shared server, for a client that has not logged in (stage 4: the checks that
    sign users up themselves, and must not stand on the operator's login)."""
    if shared_server.failure is not None:
        raise Blocked(SERVER_STARTS, "your server did not start")
    return shared_server.api.with_auth(None).with_transcript(transcript)


@pytest.fixture
def operator_login(stranger_api: LearnerApi) -> Callable[..., LearnerApi]:
    """Log in as the run's operator, the admin the project's own command made (stage 4),
    when the check is ready to (`accounts.as_operator`). Asking for this fixture is what
    makes the run make the operator (runner.OPERATOR_FIXTURES)."""
    return functools.partial(as_operator, stranger_api)


@pytest.fixture(scope="session")
def _users_made() -> dict[str, User | CheckFailed]:
    return {}


@pytest.fixture
def users(stranger_api: LearnerApi, _users_made: dict[str, User | CheckFailed]) -> Users:
    """This worker's ordinary users (see `Users`), on the shared server."""
    return Users(_users_made, stranger_api)


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
    except CheckFailed as failure:  # blocked when 03-api/server-starts failed too
        raise failure.of_step(SERVER_STARTS) from None
    try:
        logged_in, steps = acting_login(api)
        for step in steps:
            transcript.add(step)
        yield logged_in
    finally:
        api.stop()
