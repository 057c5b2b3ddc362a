"""The pytest plugin that turns check functions into graded results.

pytest gives us fixtures, ordering, selection and isolation; this plugin adds the roadmap's
own idea of an outcome: a check passes, fails (the learner's code: `CheckFailed`, perhaps
on a step another check grades), does not apply (`NotApplicable`), or errors (the
checker's own bug). The fixtures every check may use live here; each door brings its own.
"""

from __future__ import annotations

import ctypes
import os
import signal
import zlib
from collections.abc import Generator

import pytest

from checks.harness import containment, preparation, process, shared, wording
from checks.harness.catalog import Check, describe
from checks.harness.doors.storage import database, symptoms
from checks.harness.failure import Blocked, CheckFailed, NotApplicable
from checks.harness.manifest import Manifest
from checks.harness.process import Completed
from checks.harness.results import CheckResult
from checks.harness.settings import Settings
from checks.harness.transcript import Transcript
from checks.harness.values import ValueMaker
from checks.harness.workspace import Workspace

# Each door's fixtures: a check asks for `cli`, `api`, `storage`, `linted` by name.
pytest_plugins = (
    "checks.harness.doors.storage.fixtures",
    "checks.harness.doors.cli.fixtures",
    "checks.harness.doors.http.fixtures",
    "checks.harness.doors.tools.fixtures",
    "checks.harness.doors.deploy.fixtures",
    "checks.harness.doors.jobs.fixtures",
)
INSTALLS = preparation.INSTALLS

TRANSCRIPT_KEY = pytest.StashKey[Transcript]()
RESULT_PROPERTY = "roadmap-result"  # how a result travels on a report, from any worker
SETTINGS_OPTION = "--roadmap-settings"
CHECK_KEY = pytest.StashKey[Check]()


# Module hooks: loaded with `-p checks.harness.plugin`, these give each pytest-xdist worker
# a RoadmapPlugin of its own (the checker's process passes its instance in directly).


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(SETTINGS_OPTION, help="(internal) the run's settings, as JSON")


def pytest_configure(config: pytest.Config) -> None:
    raw = config.getoption(SETTINGS_OPTION)
    if raw and hasattr(config, "workerinput"):
        settings = Settings.from_json(raw)
        config.pluginmanager.register(RoadmapPlugin(settings), "roadmap")
        # A worker dies with the checker, even a SIGKILLed one, and contains what it starts.
        ctypes.CDLL(None).prctl(containment.PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if settings.containment and settings.workspace and settings.state:
            process.contain(settings.containment, settings.workspace.tmp, settings.state / "groups")
        if settings.state:
            shared.use(settings.state)
        database.use(settings.databases)
        # The checker forwards SIGTERM to its workers: stop the learner's programs first.
        signal.signal(signal.SIGTERM, _stop_on_signal)


def _stop_on_signal(signum: int, frame: object) -> None:
    process.kill_all()
    os._exit(128 + signum)


class RoadmapPlugin:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.results: list[CheckResult] = []
        self.words = wording.words_for(settings.manifest)  # fix texts in the learner's domain

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
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield
        if call.when == "call" or (call.when == "setup" and call.excinfo is not None):
            report.user_properties.append((RESULT_PROPERTY, self._result(item, call).to_dict()))
        return report

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Collect results here, where reports from every worker arrive."""
        for name, value in report.user_properties:
            if name == RESULT_PROPERTY and isinstance(value, dict):
                self.results.append(CheckResult.from_dict(value))

    def _result(self, item: pytest.Item, call: pytest.CallInfo[None]) -> CheckResult:
        check = item.stash[CHECK_KEY]
        transcript = item.stash.get(TRANSCRIPT_KEY, None)
        result = CheckResult(
            check=check,
            status="pass",
            fix=wording.render(check.fix, self.words),
            try_lines=transcript.lines() if transcript else [],
            seconds=call.duration,
        )
        error = call.excinfo.value if call.excinfo else None
        if error is None:
            return result
        result.status = "fail"
        if isinstance(error, NotApplicable):
            result.status, result.not_applicable = "not-applicable", str(error)
            result.fix, result.try_lines = None, []
        elif isinstance(error, CheckFailed):
            result.problem = error.problem
            result.ran, result.got, result.expected = error.ran, error.got, error.expected
            result.fix = wording.render(error.fix or check.fix, self.words)
            step = error.step or symptoms.step_behind(error, self.settings.graded_through)
            result.step = step if step != check.id else None
            if result.step is None and not result.try_lines:  # failed before it ran anything
                result.try_lines = error.try_lines
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
    def workspace(self) -> Workspace:
        """The checker's copy of the project, which it deletes when the run ends."""
        if self.settings.workspace is None:
            raise RuntimeError("the checker must prepare the workspace before the checks")
        return self.settings.workspace

    @pytest.fixture(scope="session")
    def installation(self, workspace: Workspace) -> Completed:
        """Installing the project, done once per run; `01-cli/installs` grades it."""
        return preparation.installed(shared.steps())

    @pytest.fixture(scope="session")
    def tools(self, installed: Workspace) -> Completed:
        """Installing the test tools (and import-linter), right after the project."""
        return preparation.tools_installed(shared.steps())

    @pytest.fixture(scope="session")
    def installed(self, workspace: Workspace, installation: Completed) -> Workspace:
        """The workspace, for checks that need the project installed."""
        if not installation.ok:
            raise Blocked(INSTALLS, "your project did not install")
        return workspace

    @pytest.fixture(scope="session")
    def run_settings(self) -> Settings:
        """What the command line decided: the seed, the time limit for one run, ..."""
        return self.settings

    @pytest.fixture
    def transcript(self, request: pytest.FixtureRequest) -> Transcript:
        """This check's commands, which its report shows as lines to paste."""
        transcript = Transcript()
        request.node.stash[TRANSCRIPT_KEY] = transcript
        return transcript

    @pytest.fixture
    def values(self, request: pytest.FixtureRequest) -> ValueMaker:
        """Random values, seeded per check so one check's values don't depend on another's."""
        return ValueMaker(self.settings.seed ^ zlib.crc32(request.node.nodeid.encode()))

    def pytest_sessionfinish(self) -> None:
        process.kill_all()
