"""Fixtures of the tools door."""

import pytest

from checks.harness.doors.tools import import_contracts
from checks.harness.workspace import Workspace


@pytest.fixture(scope="session")
def linted(installed: Workspace) -> Workspace:
    """The workspace with import-linter installed, for the layer checks."""
    import_contracts.install(installed)
    return installed
