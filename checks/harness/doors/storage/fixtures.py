"""Fixtures of the storage door."""

import pytest

from checks.harness.doors.storage.throwaway import Storage
from checks.harness.manifest import Manifest
from checks.harness.workspace import Workspace


@pytest.fixture
def storage(installed: Workspace, manifest: Manifest) -> Storage:
    """Fresh, empty storage for this check alone."""
    return Storage.fresh(installed, manifest)
