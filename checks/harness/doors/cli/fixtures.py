"""Fixtures of the CLI door."""

from collections.abc import Callable

import pytest

from checks.harness import preparation
from checks.harness.doors.cli.driver import LearnerCli
from checks.harness.doors.cli.seed import Seed, Seeded, copy_for, read_from
from checks.harness.doors.storage import Storage
from checks.harness.failure import NotApplicable
from checks.harness.manifest import Manifest
from checks.harness.settings import Settings
from checks.harness.transcript import Transcript
from checks.harness.workspace import Workspace

NO_CLI = "the manifest says this project has no command line (cli = false)"


@pytest.fixture
def cli(
    installed: Workspace,
    manifest: Manifest,
    storage: Storage,
    transcript: Transcript,
    run_settings: Settings,
) -> LearnerCli:
    """The learner's command on this check's storage."""
    if manifest.cli is None:
        raise NotApplicable(NO_CLI)
    return LearnerCli(manifest, installed, run_settings.timeout, storage, transcript)


@pytest.fixture(scope="session")
def seed(installed: Workspace, manifest: Manifest, run_settings: Settings) -> Seed:
    """Records added once per run with the learner's command, in the background (seed.py)."""
    return _read_seed(manifest, run_settings)


@pytest.fixture
def seed_later(
    installed: Workspace, manifest: Manifest, run_settings: Settings
) -> Callable[[], Seed]:
    """The run's seed, read only when the check calls this: a check that first does a
    step of its own reads the seed after it, so that step's failure stays its own."""
    return lambda: _read_seed(manifest, run_settings)


@pytest.fixture
def seeded(cli: LearnerCli, seed: Seed) -> Seeded:
    """This check's command on a private copy of the seeded records."""
    return copy_for(seed, cli)


def _read_seed(manifest: Manifest, run_settings: Settings) -> Seed:
    if manifest.cli is None:
        raise NotApplicable(NO_CLI)
    assert run_settings.state is not None
    return read_from(preparation.wait_for(run_settings.state / "seed.json"))
