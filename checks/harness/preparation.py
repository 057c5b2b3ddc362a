"""Installing the project and its tools, in the background while the checks start up.

Starting pytest's parallel workers takes about as long as installing a project, so the
checker does both at once: a thread installs the project, then (if that worked) the test
tools and import-linter in one uv call, and writes each outcome to the checker's private
state folder. With a venv cache (venv_cache.py) the dependencies and tools come first, as
a hard-linked copy of the venv built for the same declarations, and only the project is
installed. A check that needs an install waits there for its outcome; the checks that
need none (git history, files) run meanwhile. The folder is the checker's own, outside
the workspace, so no learner program can write what the checker reads back.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import asdict
from pathlib import Path

from checks.harness import shared
from checks.harness.doors.cli import seed
from checks.harness.doors.storage import database
from checks.harness.doors.storage.postgres_run import RunDatabases
from checks.harness.doors.tools.import_contracts import IMPORT_LINTER
from checks.harness.manifest import Manifest
from checks.harness.process import Completed
from checks.harness.venv_cache import VenvCache
from checks.harness.workspace import INSTALL_TIMEOUT, Workspace

PROJECT, TOOLS = "project", "tools"
LINTER_FROM_STAGE = 2  # the layer checks, and import-linter with them, start at stage 2


def start(
    workspace: Workspace,
    manifest: Manifest,
    stage: int,
    state: Path,
    python: str,
    timeout: float,
    seed_with: int | None = None,
    cache: VenvCache | None = None,
    databases: RunDatabases | None = None,
    operator: bool = True,
) -> threading.Thread:
    """Begin installing with `python` in a thread; outcomes appear as `state/<name>.json`.

    `timeout` bounds one run of the learner's program; `seed_with`, the run's seed, asks
    for the records many checks start from (doors/cli/seed.py) to be added too."""
    args = (workspace, manifest, stage, state, python, timeout, seed_with, cache, databases)
    kwargs = {"operator": operator}
    thread = threading.Thread(
        target=_prepare, args=args, kwargs=kwargs, name="prepare", daemon=True
    )
    thread.start()
    return thread


def outcome(state: Path, name: str, timeout: float = INSTALL_TIMEOUT * 2) -> Completed:
    """Wait for one install's outcome, from any process of this run."""
    path = wait_for(state / f"{name}.json", timeout)
    if not path.is_file():
        return Completed(("uv", "pip", "install"), None, "", "", timed_out=True)
    data = json.loads(path.read_text("utf-8"))
    return Completed(**{**data, "argv": tuple(data["argv"])})


def wait_for(path: Path, timeout: float = INSTALL_TIMEOUT * 2) -> Path:
    """`path`, once the preparing thread has written it (or the time is up)."""
    deadline = time.monotonic() + timeout
    while not path.is_file() and time.monotonic() < deadline:
        time.sleep(0.05)
    return path


def tools_wanted(manifest: Manifest, stage: int) -> list[str]:
    """What the checks install beside the project: its test group (or pytest), and
    import-linter from the stage that checks layers."""
    group = manifest.package.test_group
    wanted = ["--group", group] if group else ["pytest"]
    return wanted + ([IMPORT_LINTER] if stage >= LINTER_FROM_STAGE else [])


def _prepare(
    workspace: Workspace,
    manifest: Manifest,
    stage: int,
    state: Path,
    python: str,
    timeout: float,
    seed_with: int | None,
    cache: VenvCache | None,
    databases: RunDatabases | None,
    operator: bool,
) -> None:
    tools = tools_wanted(manifest, stage)
    reused: Completed | None = None
    try:
        reused = cache.provide(workspace, python, tools) if cache else None
        project = workspace.install_project() if reused else workspace.install(python)
    except Exception as error:
        project = Completed(("uv", "pip", "install", "."), 1, "", f"could not install: {error}")
    _write(state, PROJECT, project)
    if not project.ok:
        _write(state, TOOLS, project)
        return
    if databases is not None:  # stage 4: the schema first, then the seed can be planted
        _prepare_database(workspace, manifest, state, databases, timeout, operator)
    if seed_with is not None:  # the CLI checks wait for it: plant it beside the tools' install
        args = (state, workspace, manifest, timeout, seed_with)
        threading.Thread(target=seed.plant_into, args=args, name="seed", daemon=True).start()
    _write(state, TOOLS, reused or workspace.install_packages(*tools))


def _prepare_database(
    workspace: Workspace,
    manifest: Manifest,
    state: Path,
    databases: RunDatabases,
    timeout: float,
    operator: bool,
) -> None:
    try:
        made = database.prepare_template(workspace, manifest, databases, timeout, operator)
    except Exception as error:  # the checks waiting for it must not wait in vain
        made = database.Template(database.TEMPLATE, failure={"problem": str(error)})
    database.write_template(state, made)


def _write(state: Path, name: str, result: Completed) -> None:
    shared.publish(state / f"{name}.json", asdict(result))
