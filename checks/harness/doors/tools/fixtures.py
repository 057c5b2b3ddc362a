"""Fixtures of the tools door."""

import pytest

from checks.harness.doors.tools import fuzz_outcome, import_contracts
from checks.harness.process import Completed
from checks.harness.workspace import Workspace


@pytest.fixture(scope="session")
def linted(installed: Workspace, tools: Completed) -> Workspace:
    """The workspace with import-linter installed (beside the test tools, or alone when
    that install failed), for the layer checks."""
    if not tools.ok:
        import_contracts.install(installed)
    return installed


@pytest.fixture(scope="session")
def fuzzed(installed: Workspace) -> fuzz_outcome.Fuzzed:
    """Stage 5: the run's one fuzzing of the learner's API, once it has ended (the
    checker's main process runs it beside the checks: doors/tools/fuzz.py)."""
    return fuzz_outcome.outcome()
