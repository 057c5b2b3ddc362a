"""The pytest plugin that turns check functions into graded results.

pytest gives us fixtures, ordering, selection and isolation; this plugin adds the roadmap's
own idea of an outcome: a check passes, fails (the learner's code: `CheckFailed`, or
`Blocked` when something it stands on failed) or errors (the checker's own bug).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from checks.harness import import_contracts, process
from checks.harness.catalog import Check, describe
from checks.harness.failure import Blocked, CheckFailed
from checks.harness.learner_cli import LearnerCli
from checks.harness.manifest import Manifest
from checks.harness.process import Completed
from checks.harness.storage import Storage
from checks.harness.transcript import Transcript
from checks.harness.values import ValueMaker
from checks.harness.workspace import Workspace
from checks.report.model import CheckResult

TRANSCRIPT_KEY = pytest.StashKey[Transcript]()
CHECK_KEY = pytest.StashKey[Check]()


@dataclass(frozen=True)
class Settings:
    """What the command line decided, handed to the checks."""

    repo: Path
    manifest: Manifest
    stage: int
    seed: int
    timeout: float  # for one run of the learner's program
    only: tuple[str, ...] = ()


class RoadmapPlugin:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.results: list[CheckResult] = []

    # Collection -------------------------------------------------------------------------

    def pytest_configure(self, config: pytest.Config) -> None:
        config.addinivalue_line("markers", "roadmap(slug, advisory): a roadmap check")

    def pytest_collection_modifyitems(
        self, config: pytest.Config, items: list[pytest.Item]
    ) -> None:
        kept: list[pytest.Item] = []
        dropped: list[pytest.Item] = []
        for item in items:
            mark = item.get_closest_marker("roadmap")
            assert mark is not None, f"{item.nodeid} is in a check folder but has no @check"
            function = item.function  # type: ignore[attr-defined]
            item.stash[CHECK_KEY] = describe(function, mark.kwargs["slug"], mark.kwargs["advisory"])
            only = self.settings.only
            (kept if not only or item.stash[CHECK_KEY].id in only else dropped).append(item)
        if dropped:
            config.hook.pytest_deselected(items=dropped)
        items[:] = kept

    # Outcomes ---------------------------------------------------------------------------

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Iterator[Any]:
        report = yield
        if call.when == "call" or (call.when == "setup" and call.excinfo is not None):
            self.results.append(self._result(item, call))
        return report

    def _result(self, item: pytest.Item, call: pytest.CallInfo[None]) -> CheckResult:
        check = item.stash[CHECK_KEY]
        transcript = item.stash.get(TRANSCRIPT_KEY, None)
        result = CheckResult(
            check=check,
            status="pass",
            fix=check.fix,
            try_lines=transcript.lines() if transcript else [],
            seconds=call.duration,
        )
        error = call.excinfo.value if call.excinfo else None
        if error is None:
            return result
        result.status = "fail"
        if isinstance(error, CheckFailed):
            result.problem = error.problem
            result.ran, result.got, result.expected = error.ran, error.got, error.expected
            result.fix = error.fix or check.fix
        elif isinstance(error, Blocked):
            result.problem = f"not checked: {error}"
            result.try_lines = []
        elif isinstance(error, AssertionError):
            result.problem = str(error).split("\n")[0] or "an expectation did not hold"
        else:
            result.status = "error"
            result.problem = f"the checker crashed: {type(error).__name__}: {error}"
        return result

    # Fixtures ---------------------------------------------------------------------------

    @pytest.fixture(scope="session")
    def manifest(self) -> Manifest:
        return self.settings.manifest

    @pytest.fixture(scope="session")
    def workspace(self) -> Iterator[Workspace]:
        workspace = Workspace.create(self.settings.repo)
        try:
            yield workspace
        finally:
            process.kill_all()
            workspace.close()

    @pytest.fixture(scope="session")
    def installation(self, workspace: Workspace) -> Completed:
        """Installing the project, once per run; `01-cli/installs` grades it."""
        return workspace.install()

    @pytest.fixture(scope="session")
    def installed(self, workspace: Workspace, installation: Completed) -> Workspace:
        """The workspace, for checks that need the project installed."""
        if not installation.ok:
            raise Blocked("your project did not install; fix 01-cli/installs first")
        return workspace

    @pytest.fixture(scope="session")
    def run_settings(self) -> Settings:
        """What the command line decided: the seed, the time limit for one run, ..."""
        return self.settings

    @pytest.fixture(scope="session")
    def linted(self, installed: Workspace) -> Workspace:
        """The workspace with import-linter installed, for the layer checks."""
        import_contracts.install(installed)
        return installed

    @pytest.fixture
    def transcript(self, request: pytest.FixtureRequest) -> Transcript:
        """This check's commands, which its report shows as lines to paste."""
        transcript = Transcript()
        request.node.stash[TRANSCRIPT_KEY] = transcript
        return transcript

    @pytest.fixture
    def storage(self, installed: Workspace) -> Storage:
        """Fresh, empty storage for this check alone."""
        return Storage.fresh(installed, self.settings.manifest.cli.data_env)

    @pytest.fixture
    def cli(self, installed: Workspace, storage: Storage, transcript: Transcript) -> LearnerCli:
        """The learner's command on this check's storage."""
        return LearnerCli(
            self.settings.manifest, installed, self.settings.timeout, storage, transcript
        )

    @pytest.fixture
    def values(self, request: pytest.FixtureRequest) -> ValueMaker:
        """Random values, seeded per check so one check's values don't depend on another's."""
        return ValueMaker(self.settings.seed ^ zlib.crc32(request.node.nodeid.encode()))

    def pytest_sessionfinish(self) -> None:
        process.kill_all()
