"""Fixtures of the CLI door.

A project without a command line (`cli = false`) is told so before anything else is
prepared for a CLI check: "does not apply" must never read as "blocked by" a step the
check would not have used.
"""

from collections.abc import Callable

import pytest

from checks.harness import shared
from checks.harness.doors.cli.driver import LearnerCli
from checks.harness.doors.cli.seed import SEED, Seed, Seeded, copy_for, from_data
from checks.harness.doors.storage import Storage
from checks.harness.failure import NotApplicable
from checks.harness.manifest import Manifest
from checks.harness.settings import Settings
from checks.harness.transcript import Transcript
from checks.harness.workspace import Workspace

NO_CLI = "the manifest says this project has no command line (cli = false)"


def _require_cli(manifest: Manifest) -> None:
    if manifest.cli is None:
        raise NotApplicable(NO_CLI)


@pytest.fixture
def cli(
    manifest: Manifest,
    request: pytest.FixtureRequest,
    transcript: Transcript,
    run_settings: Settings,
) -> LearnerCli:
    """The learner's command on this check's storage."""
    _require_cli(manifest)
    installed: Workspace = request.getfixturevalue("installed")
    storage: Storage = request.getfixturevalue("storage")
    return LearnerCli(manifest, installed, run_settings.timeout, storage, transcript)


@pytest.fixture(scope="session")
def seed(manifest: Manifest, request: pytest.FixtureRequest) -> Seed:
    """Records added once per run with the learner's command, in the background (seed.py)."""
    _require_cli(manifest)
    request.getfixturevalue("installed")
    return from_data(manifest, shared.steps().wait(SEED))


@pytest.fixture
def seed_later(manifest: Manifest, request: pytest.FixtureRequest) -> Callable[[], Seed]:
    """The run's seed, read only when the check calls this: a check that first does a
    step of its own reads the seed after it, so that step's failure stays its own."""
    _require_cli(manifest)
    request.getfixturevalue("installed")
    return lambda: from_data(manifest, shared.steps().wait(SEED))


@pytest.fixture
def seeded(cli: LearnerCli, seed: Seed) -> Seeded:
    """This check's command on a private copy of the seeded records."""
    return copy_for(seed, cli)
