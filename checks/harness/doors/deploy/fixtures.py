"""Fixtures of the deploy door."""

import pytest

from checks.harness.doors.deploy.files import Deployment
from checks.harness.manifest import Manifest
from checks.harness.settings import Settings
from checks.harness.workspace import Workspace


@pytest.fixture
def deployment(workspace: Workspace, manifest: Manifest, run_settings: Settings) -> Deployment:
    """The project's Dockerfile, compose file, workflow and README, read on demand from
    the pristine copy (no install needed)."""
    return Deployment(workspace, manifest, run_settings.state)
