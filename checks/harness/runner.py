"""One run of the checker over one repository, between the command line and the reports.

It reserves a workspace and contains it (containment.py), starts the run's PostgreSQL
while the project is copied (stage 4 on), plans and starts the shared preparation
(preparation.py), runs the checks in pytest (in parallel workers when there are enough),
and takes everything down again, whatever happened: processes, cgroups, databases, files.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
import threading
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from checks.harness import (
    cgroups,
    containment,
    lock,
    netns,
    preparation,
    process,
    shared,
    stage_start,
    watchdog,
)
from checks.harness.catalog import CHECKS_DIR, STAGES, Check, all_checks, catalog_order
from checks.harness.doors.storage import database, template
from checks.harness.doors.storage import provisioning as provisioning_module
from checks.harness.doors.storage.postgres import PostgresUnavailable
from checks.harness.doors.storage.postgres_run import RunDatabases
from checks.harness.doors.tools import fuzz, fuzz_outcome
from checks.harness.plugin import SETTINGS_OPTION, RoadmapPlugin
from checks.harness.results import Run
from checks.harness.settings import Settings
from checks.harness.venv_cache import VenvCache
from checks.harness.workspace import PythonMissing, TooBig, Workspace

# Checks run in parallel pytest-xdist workers over one copy and install of the project:
# worth it for a whole stage, not for a few checks chosen with --only (ADR 0006).
MAX_WORKERS = 4
MIN_CHECKS_PER_WORKER = 6  # stage 1 alone (15 checks) now gains from a second worker


class Uncheckable(Exception):
    """The repository cannot be checked at all; the message is the one-line reason."""


def check(settings: Settings, jobs: int | None = None) -> Run:
    """Check the repository `settings` names: everything between the command line and the
    reports. Raises Uncheckable (exit 2) when it cannot be checked at all."""
    run_id = secrets.token_hex(4)
    jail = containment.detect(f"{os.getpid()}-{run_id}", settings.cpus)
    state = Path(tempfile.mkdtemp(prefix="roadmap-state-"))  # the checker's own, not learner's
    groups_log = state / "groups"
    root = Workspace.reserve(jail.work_base())
    if jail.namespaces and containment.hidden_by_private_tmp(root):
        jail = replace(jail, private_tmp=False)  # e.g. a HOME under /tmp, without root
    cache = VenvCache.for_run(jail, root)
    cluster_folder = provisioning_module.cluster_folder(jail.work_base(), run_id)
    own = root.with_name(root.name + ".checker")  # Workspace.own, before the workspace exists
    leftovers = [root, own, state, *([cache.building] if cache else []), cluster_folder]
    guard = watchdog.start(leftovers, jail.cgroup_root, groups_log)
    provisioning = (
        provisioning_module.Provisioning(settings.database_url, cluster_folder, groups_log, run_id)
        if settings.graded_through >= provisioning_module.FROM_STAGE
        else None
    )  # started now, while the workspace is copied
    databases: RunDatabases | None = None
    preparing: list[threading.Thread] = []
    network, relay = _network(jail), None
    try:
        try:
            workspace = Workspace.create(settings.repo, root=root)
        except TooBig as too_big:
            raise Uncheckable(str(too_big)) from None
        containment.give_to_learner(workspace.root, jail)
        jail = jail.prepare(state / "mounts", workspace.home)
        if network is not None:
            jail = replace(jail, network=network.path)
        process.contain(jail, workspace.tmp, groups_log)
        try:
            package = settings.manifest.package
            python = workspace.interpreter(package.requires_python, package.requires_python_in)
        except PythonMissing as missing:
            raise Uncheckable(str(missing)) from None
        if provisioning is not None:
            try:
                databases = provisioning.result()
            except PostgresUnavailable as missing:
                raise Uncheckable(f"stage 4 needs PostgreSQL: {missing}") from None
            if network is not None:  # learner programs reach it through the run's loopback
                databases, relay = _relayed(databases, network)
            database.use(databases)
        needs = _needs(settings)
        has_cli = settings.manifest.cli is not None
        # Stage 4: the CLI's operator is made only for checks that act as that user.
        preparing = preparation.start(
            workspace,
            settings.manifest,
            settings.graded_through,
            shared.use(state),
            python,
            settings.timeout,
            settings.seed if has_cli and needs & SEED_FIXTURES else None,
            cache,
            databases,
            operator=bool(needs & OPERATOR_FIXTURES),
            drift=not settings.only or DRIFT_CHECK in settings.only,
        )
        if fuzz.wanted({check.id for check in _running(settings)}, settings.graded_through):
            preparing.append(_start_fuzzing(settings, workspace, state, databases))
        prepared = replace(
            settings, workspace=workspace, state=state, containment=jail, databases=databases
        )
        run = _run_checks(prepared, jobs)
        run.notes += [note for note in [fuzz_outcome.note(shared.steps())] if note]
        run.notes.append(f"Containment: {jail.describe()}.")
        run.briefs[run.notes[-1]] = jail.in_brief()
        left = cgroups.kill_all(jail.cgroup_root)
        if left:
            names = ", ".join(sorted(set(left)))
            run.notes.append(
                f"{len(left)} of your programs were still running when the checks ended "
                f"and were stopped ({names}): something your code starts does not end"
            )
        return run
    finally:
        process.stop_starting()  # a step still running must not start a program now
        process.kill_all()
        for thread in preparing:  # ends at once: its programs are gone, no new one starts
            thread.join(timeout=STEP_END_SECONDS)
        if relay is not None:
            relay.close()
        if provisioning is not None:
            provisioning.close()
        if network is not None:
            network.close()
        cgroups.remove(jail.cgroup_root)
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(own, ignore_errors=True)
        shutil.rmtree(state, ignore_errors=True)
        os.close(guard)


def _network(jail: containment.Containment) -> netns.Network | None:
    """The run's own network, where the kernel gives one (as root); else None, and the
    report says learner programs shared the machine's."""
    return netns.Network.create() if jail.level == containment.KERNEL else None


def _relayed(databases: RunDatabases, network: netns.Network) -> tuple[RunDatabases, netns.Relay]:
    """The run's databases as learner programs reach them, on 127.0.0.1 inside the run's
    network, and the relay that carries those connections to the server."""
    parts = urlsplit(databases.url.replace("{database}", "x"))
    host, port = parts.hostname or "127.0.0.1", parts.port or 5432
    inside = databases.url.replace(f"@{parts.netloc.rpartition('@')[2]}/", f"@127.0.0.1:{port}/")
    return replace(databases, url=inside), netns.Relay(network, port, host)


SEED_FIXTURES = {"seed", "seed_later", "seeded"}
DRIFT_CHECK = template.DRIFT_STEP  # the one check that reads `alembic check`'s outcome
STEP_END_SECONDS = 10.0
OPERATOR_FIXTURES = {"api", "own_api", "cli", "operator_login", *SEED_FIXTURES}


def _start_fuzzing(
    settings: Settings, workspace: Workspace, state: Path, databases: RunDatabases | None
) -> threading.Thread:
    """Stage 5's fuzzing, beside the checks: it starts once the database template is
    built, and its time box overlaps the other checks' time (doors/tools/fuzz.py)."""
    steps = shared.steps()
    return fuzz.start(
        steps,
        workspace,
        settings.manifest,
        needs=[preparation.PROJECT, *([database.SCHEMA] if databases else [])],
        state=state,
        seed=settings.seed,
        budget=settings.fuzz_budget,
        timeout=settings.timeout,
        installed=lambda: preparation.installed(steps).ok,
    )


def _running(settings: Settings) -> list[Check]:
    """The checks this run runs: the selected ones of the stages graded in full, and the
    manifest check of a stage just started (its other checks are blocked by it)."""
    started = stage_start.check_id(settings.starts) if settings.starts else None
    return [
        check
        for check in all_checks(through=max(settings.graded_through, settings.starts or 0))
        if (check.stage.number <= settings.graded_through or check.id == started)
        and (not settings.only or check.id in settings.only)
    ]


def _needs(settings: Settings) -> set[str]:
    """The fixtures the selected checks ask for."""
    return {need for check in _running(settings) for need in check.needs}


def _run_checks(settings: Settings, jobs: int | None) -> Run:
    """Run the checks with pytest, in parallel workers when there are enough of them."""
    plugin = RoadmapPlugin(settings)
    stages = [STAGES[n] for n in range(1, settings.graded_through + 1)]
    paths = [str(path) for stage in stages for path in stage.check_files()]
    if settings.starts:
        paths.append(str(STAGES[settings.starts].folder / "check_manifest.py"))
    workers = _workers(settings, jobs)
    parallel = ["-n", str(workers), "--dist", "worksteal"] if workers > 1 else ["-p", "no:xdist"]
    ini = ["-c", str(CHECKS_DIR / "pytest.ini"), "-p", "checks.harness.plugin"]
    settings_json = [SETTINGS_OPTION, settings.to_json()]
    code = pytest.main([*ini, *settings_json, *parallel, *paths], plugins=[plugin])
    if code == pytest.ExitCode.INTERRUPTED:  # Ctrl-C, a signal or the deadline
        raise KeyboardInterrupt
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        raise Uncheckable(f"the checker could not run its checks (pytest exit {int(code)})")
    results = plugin.results
    if settings.starts:
        results += stage_start.blocked_behind(settings.starts, settings.stage, settings.only)
    return Run(
        repo=settings.repo.name,
        project=settings.manifest.project,
        stage=settings.stage,
        seed=settings.seed,
        results=sorted(results, key=lambda result: catalog_order(result.check.id)),
        notes=_notes(settings),
        partial=bool(settings.only),
    ).resolve()


def _notes(settings: Settings) -> list[str]:
    """What a reader must know before the rubric: checks that do not apply, and why; what
    decided the versions installed."""
    if settings.manifest.cli is None:
        return [
            "this project has no command line (cli = false in its manifest), so the checks "
            "that drive one do not apply and do not count",
            lock.note(settings.repo),
        ]
    return [lock.note(settings.repo)]


def _workers(settings: Settings, jobs: int | None) -> int:
    if jobs is not None:
        return jobs
    selected = len(_running(settings))
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1, selected // MIN_CHECKS_PER_WORKER))
