"""The learner's server, for the checks of this stage.

Most checks share one server (each adds its own records, so they cannot disturb one
another); a check that needs an empty database or a restart gets a server of its own, on
the same storage as its `cli`, so the CLI and the API can be pointed at one database.
"""

from collections.abc import Iterator

import pytest

from checks.harness.failure import Blocked, CheckFailed
from checks.harness.learner_api import LearnerApi, SharedServer
from checks.harness.manifest import Manifest
from checks.harness.plugin import Settings
from checks.harness.storage import Storage
from checks.harness.transcript import Transcript
from checks.harness.workspace import Workspace

NOT_STARTED = "your server did not start; fix 03-api/server-starts first"


@pytest.fixture(scope="session")
def shared_server(
    installed: Workspace, manifest: Manifest, run_settings: Settings
) -> Iterator[SharedServer]:
    storage = Storage.fresh(installed, manifest.cli.data_env)
    api = LearnerApi(manifest, installed, storage, Transcript(), run_settings.timeout)
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
        raise Blocked(NOT_STARTED)
    return shared_server.api.bind(transcript)


@pytest.fixture
def own_api(
    installed: Workspace,
    manifest: Manifest,
    storage: Storage,
    transcript: Transcript,
    run_settings: Settings,
) -> Iterator[LearnerApi]:
    """A server of this check's own, on this check's (empty) storage."""
    api = LearnerApi(manifest, installed, storage, transcript, run_settings.timeout)
    try:
        api.start()
    except CheckFailed:
        raise Blocked(NOT_STARTED) from None
    try:
        yield api
    finally:
        api.stop()
