"""The run's shared preparation, planned before the checks and done while they start up.

Starting pytest's parallel workers takes about as long as installing a project, so the
checker does both at once. Every step is planned first (so a worker that asks for one
finds it), then each runs in a thread of the main process as soon as the steps it needs
are done (`shared.Steps`):

    project ─┬─ tools (the test group, import-linter)
             ├─ schema (stage 4: the migrations) ─┬─ operator (the admin) ─┐
             │                                    └─ drift (alembic check)  │
             └───────────────────────────────────────────────────────────── seed

A check that needs a step waits for it only while it can still finish; a step whose own
need failed fails at once with the same failure, so the checks standing on it are
blocked by the check that grades the step that really broke (ADR 0009). With a venv
cache (venv_cache.py) the dependencies and tools come first, as a hard-linked copy of
the venv built for the same declarations, and only the project is installed.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import asdict
from typing import Any

from checks.harness import builders, environment, shared
from checks.harness.doors.cli import seed
from checks.harness.doors.cli.driver import ADD
from checks.harness.doors.storage import database, template
from checks.harness.doors.storage.postgres_run import RunDatabases
from checks.harness.doors.tools import coverage
from checks.harness.doors.tools.import_contracts import IMPORT_LINTER
from checks.harness.failure import Blocked
from checks.harness.manifest import Manifest
from checks.harness.process import Completed
from checks.harness.venv_cache import VenvCache
from checks.harness.workspace import INSTALL_TIMEOUT, Workspace

PROJECT, TOOLS = "project", "tools"
INSTALLS = "01-cli/installs"  # the check that grades installing the project
LINTER_FROM_STAGE = 2  # the layer checks, and import-linter with them, start at stage 2


def start(
    workspace: Workspace,
    manifest: Manifest,
    stage: int,
    steps: shared.Steps,
    python: str,
    timeout: float,
    seed_with: int | None = None,
    cache: VenvCache | None = None,
    databases: RunDatabases | None = None,
    operator: bool = True,
    drift: bool = True,
) -> list[threading.Thread]:
    """Plan the run's steps and start them; their threads, for the end of the run to wait
    for. `timeout` bounds one run of the learner's program; `seed_with`, the run's seed,
    asks for the records many checks start from (doors/cli/seed.py); `operator`, for the
    admin the CLI acts as, and `drift`, for `alembic check` (stage 4), when a check needs
    them."""
    environment.plan_secret(steps)
    steps.plan(PROJECT, grader=INSTALLS)
    steps.plan(TOOLS, needs=[PROJECT])
    if databases is not None:
        steps.plan(database.SCHEMA, needs=[PROJECT], grader=template.MIGRATIONS_STEP)
        steps.plan(database.OPERATOR, needs=[database.SCHEMA], grader=template.ADMIN_STEP)
        if drift:
            steps.plan(database.DRIFT, needs=[database.SCHEMA], grader=template.DRIFT_STEP)
    if seed_with is not None:
        needs = [PROJECT, *([database.SCHEMA] if databases is not None else [])]
        steps.plan(seed.SEED, needs=needs, grader=ADD)

    tools = tools_wanted(manifest, stage)
    reused: list[Completed] = []  # the cache's install of the tools, when it made one

    def install() -> dict[str, Any]:
        done = cache.provide(workspace, python, tools) if cache else None
        reused[:] = [done] if done else []
        if done is None:
            return asdict(workspace.install(python))
        return asdict(builders.install_project(workspace, python))

    def install_tools() -> dict[str, Any]:
        project = installed(steps)
        if not project.ok:
            return asdict(project)
        return asdict(reused[0] if reused else workspace.install_packages(*tools))

    threads = [
        steps.start(PROJECT, install, bound=INSTALL_TIMEOUT * 2),
        steps.start(TOOLS, install_tools, bound=INSTALL_TIMEOUT),
    ]
    if databases is not None:
        run = (workspace, manifest, databases, timeout)

        def build_schema() -> dict[str, Any]:
            _require_installed(steps)
            return template.build_schema(*run)

        threads.append(steps.start(database.SCHEMA, build_schema, bound=timeout * 4))
        make_operator = functools.partial(template.make_operator, *run, operator)
        threads.append(steps.start(database.OPERATOR, make_operator, bound=timeout))
        if drift:
            check_drift = functools.partial(template.check_drift, *run)
            threads.append(steps.start(database.DRIFT, check_drift, bound=timeout * 4))
    if seed_with is not None:

        def plant() -> dict[str, Any]:
            _require_installed(steps)
            return seed.plant_for_run(workspace, manifest, timeout, seed_with)

        threads.append(steps.start(seed.SEED, plant, bound=timeout * (seed.SEEDED + 2)))
    return threads


def installed(steps: shared.Steps) -> Completed:
    """Installing the project, as it went (a failed install is graded, not raised)."""
    return _completed(steps.wait(PROJECT))


def tools_installed(steps: shared.Steps) -> Completed:
    return _completed(steps.wait(TOOLS))


def tools_wanted(manifest: Manifest, stage: int) -> list[str]:
    """What the checks install beside the project: its test group (or pytest),
    import-linter from the stage that checks layers, coverage from the one that measures."""
    group = manifest.package.test_group
    wanted = ["--group", group] if group else ["pytest"]
    wanted += [IMPORT_LINTER] if stage >= LINTER_FROM_STAGE else []
    return wanted + ([coverage.COVERAGE] if stage >= coverage.FROM_STAGE else [])


def _require_installed(steps: shared.Steps) -> None:
    if not installed(steps).ok:
        raise Blocked(INSTALLS, "your project did not install")


def _completed(data: dict[str, Any]) -> Completed:
    return Completed(**{**data, "argv": tuple(data["argv"])})
