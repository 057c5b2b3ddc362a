"""`roadmap-check PATH`: check a learner's repository and write the reports (`--watch`:
again after every change).

Exit codes: 0 every required check through the stage passes, 1 some fail, 2 the repository
could not be checked (the one-line reason is printed on stderr and saved in results.json).
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from types import FrameType

import pytest

from checks import watch
from checks.harness import cgroups, containment, history, lock, preparation, process, watchdog
from checks.harness import manifest as manifest_module
from checks.harness.catalog import CHECKS_DIR, STAGES, all_checks, catalog_order
from checks.harness.doors.storage import database
from checks.harness.plugin import SETTINGS_OPTION, RoadmapPlugin
from checks.harness.results import Run
from checks.harness.settings import Settings
from checks.harness.venv_cache import VenvCache
from checks.harness.workspace import PythonMissing, TooBig, Workspace
from checks.report import exercism, junit, markdown, terminal

DEFAULT_TIMEOUT = 15.0
DEFAULT_TESTS_TIMEOUT = 120.0
DEFAULT_DEADLINE = 900.0  # the whole run; stage 3 takes well under a minute
# Checks run in parallel pytest-xdist workers over one copy and install of the project:
# worth it for a whole stage, not for a few checks chosen with --only (ADR 0006).
MAX_WORKERS = 4
MIN_CHECKS_PER_WORKER = 6  # stage 1 alone (15 checks) now gains from a second worker


class Uncheckable(Exception):
    """The repository cannot be checked at all; the message is the one-line reason."""


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="roadmap-check",
        description="Check a Backend Roadmap project, stage by stage, as a black box.",
        epilog="Exit codes: 0 all required checks pass, 1 some fail, 2 could not check.",
    )
    parser.add_argument("path", type=Path, help="the folder of the project to check")
    parser.add_argument(
        "--stage", type=int, help="check stages 1 to N (default: the manifest's stage)"
    )
    parser.add_argument(
        "--report-dir",
        type=Path,
        help="where to write results.json, report.md and junit.xml "
        "(default: reports/<folder name>/ in the current directory)",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="CHECK_ID",
        help="run only this check, e.g. 01-cli/summary (repeatable)",
    )
    parser.add_argument("--seed", type=int, help="repeat a run's random values exactly")
    parser.add_argument(
        "--jobs",
        type=int,
        help="how many checks run at once (default: one per CPU, at most 4; 1 = in order)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help=f"seconds one run of your program may take (default {DEFAULT_TIMEOUT:.0f})",
    )
    parser.add_argument(
        "--deadline",
        type=float,
        default=DEFAULT_DEADLINE,
        help=f"seconds the whole run may take (default {DEFAULT_DEADLINE:.0f})",
    )
    parser.add_argument(
        "--tests-timeout",
        type=float,
        default=DEFAULT_TESTS_TIMEOUT,
        help="seconds your own test suite may take in one run "
        f"(default {DEFAULT_TESTS_TIMEOUT:.0f})",
    )
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="from stage 4: a PostgreSQL server to make the run's databases on, as "
        "postgresql://USER:PASS@HOST:PORT/DB (default: $ROADMAP_DATABASE_URL, else a "
        "throw-away server started from this machine's PostgreSQL)",
    )
    parser.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help=f"show every failure in full (default: the first {terminal.DETAILED}; "
        "report.md always has them all)",
    )
    parser.add_argument(
        "--watch",
        action="store_true",
        help="check again each time you save a file in the project; Ctrl-C stops",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    repo = args.path.expanduser().resolve()
    report_dir = _report_dir(args.report_dir, repo)
    if args.watch and repo.is_dir():
        arguments = sys.argv[1:] if argv is None else argv
        command = [sys.executable, "-m", "checks", *watch.without_watch(arguments)]
        return watch.forever(command, repo, ignore=[report_dir.resolve()])
    try:
        return _check_once(args, repo, report_dir)
    except KeyboardInterrupt:  # before the run began or after it ended: nothing to undo
        print("roadmap-check: interrupted", file=sys.stderr)
        return 128 + (_stopped_by or signal.SIGINT)


def _check_once(args: argparse.Namespace, repo: Path, report_dir: Path) -> int:
    # A CI timeout, Ctrl-C or our own deadline must take the learner's processes down too.
    for signum in (signal.SIGTERM, signal.SIGALRM, signal.SIGINT):
        signal.signal(signum, _stop_on_signal)
    if args.deadline > 0:
        signal.setitimer(signal.ITIMER_REAL, args.deadline)
    seed = args.seed if args.seed is not None else secrets.randbelow(1_000_000)
    try:
        settings = _settings(args, repo, seed)
        run = _check(settings, args.jobs)
    except Uncheckable as reason:
        run = Run(repo=repo.name, project=repo.name, stage=args.stage or 0, seed=seed)
        run.error = str(reason)
        print(f"roadmap-check: could not check {args.path}: {reason}", file=sys.stderr)
    except KeyboardInterrupt:
        if _stopped_by != signal.SIGALRM:
            print("roadmap-check: interrupted", file=sys.stderr)
            return 128 + (_stopped_by or signal.SIGINT)
        run = Run(repo=repo.name, project=repo.name, stage=args.stage or 0, seed=seed)
        run.error = (
            f"the checks did not finish within --deadline {args.deadline:g} s, so the run was "
            "stopped; a program of yours that waits forever is the usual cause (run with "
            "--timeout and --tests-timeout lower, or --deadline higher on a slow machine)"
        )
        print(f"roadmap-check: could not check {args.path}: {run.error}", file=sys.stderr)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        process.kill_all()
    previous = history.read(report_dir / "results.json")  # before this run replaces it
    written = _write_reports(run, report_dir)
    if not run.error:
        style = terminal.Style.detect(sys.stdout, os.environ, verbose=args.verbose)
        change = history.compare(previous, run)
        print(terminal.render(run, style, change, reports=bool(written)), end="")
    if written:
        print(f"Reports: {written}")
    return run.exit_code


def _settings(args: argparse.Namespace, repo: Path, seed: int) -> Settings:
    if not repo.exists():
        raise Uncheckable(f"{repo} does not exist; give the path of your project's folder")
    if not repo.is_dir():
        raise Uncheckable(f"{repo} is a file; give the path of your project's folder")
    try:
        manifest = manifest_module.load(repo)
    except manifest_module.ManifestError as error:
        raise Uncheckable(str(error)) from None
    stage = args.stage if args.stage is not None else manifest.stage
    if stage not in STAGES:
        raise Uncheckable(f"stage {stage} does not exist; the stages are 1 to {max(STAGES)}")
    unwritten = [s for n, s in STAGES.items() if n <= stage and not s.written]
    if unwritten:
        highest = max(n for n, s in STAGES.items() if s.written)
        raise Uncheckable(
            f"the checks for stage {unwritten[0].number} ({unwritten[0].slug}) are not "
            f"written yet; check up to stage {highest} with --stage {highest}"
        )
    try:
        manifest.require_for(stage)
    except manifest_module.ManifestError as error:
        raise Uncheckable(str(error)) from None
    known = {check.id for check in all_checks() if check.stage.number <= stage}
    unknown = [check_id for check_id in args.only if check_id not in known]
    if unknown:
        raise Uncheckable(
            f"no check {unknown[0]!r} in stages 1 to {stage}; ids look like 01-cli/summary"
        )
    if min(args.timeout, args.tests_timeout, args.deadline) <= 0:
        raise Uncheckable(
            "--timeout, --tests-timeout and --deadline must be positive numbers of seconds"
        )
    if args.jobs is not None and args.jobs < 1:
        raise Uncheckable("--jobs must be 1 or more")
    return Settings(
        repo,
        manifest,
        stage,
        seed,
        args.timeout,
        tuple(args.only),
        args.tests_timeout,
        database_url=args.database_url,
    )


def _check(settings: Settings, jobs: int | None = None) -> Run:
    run_id = secrets.token_hex(4)
    jail = containment.detect(f"{os.getpid()}-{run_id}")
    state = Path(tempfile.mkdtemp(prefix="roadmap-state-"))  # the checker's own, not learner's
    groups_log = state / "groups"
    root = Workspace.reserve(jail.work_base())
    if jail.namespaces and containment.hidden_by_private_tmp(root):
        jail = replace(jail, private_tmp=False)  # e.g. a HOME under /tmp, without root
    cache = VenvCache.for_run(jail, root)
    cluster_folder = database.cluster_folder(jail.work_base(), run_id)
    leftovers = [root, state, *([cache.building] if cache else []), cluster_folder]
    guard = watchdog.start(leftovers, jail.cgroup_root, groups_log)
    provisioning = (
        database.Provisioning(settings.database_url, cluster_folder, groups_log, run_id)
        if settings.stage >= database.FROM_STAGE
        else None
    )  # started now, while the workspace is copied
    databases: database.RunDatabases | None = None
    try:
        try:
            workspace = Workspace.create(settings.repo, root=root)
        except TooBig as too_big:
            raise Uncheckable(str(too_big)) from None
        containment.give_to_learner(workspace.root, jail)
        process.contain(jail, workspace.tmp, groups_log)
        try:
            package = settings.manifest.package
            python = workspace.interpreter(package.requires_python, package.requires_python_in)
        except PythonMissing as missing:
            raise Uncheckable(str(missing)) from None
        if provisioning is not None:
            try:
                databases = provisioning.result()
            except database.PostgresUnavailable as missing:
                raise Uncheckable(f"stage 4 needs PostgreSQL: {missing}") from None
            database.use(databases, state, settings.manifest)
        needs = _needs(settings)
        has_cli = settings.manifest.cli is not None
        # Stage 4: the CLI's operator is made only for checks that act as that user.
        preparation.start(
            workspace,
            settings.manifest,
            settings.stage,
            state,
            python,
            settings.timeout,
            settings.seed if has_cli and needs & SEED_FIXTURES else None,
            cache,
            databases,
            operator=bool(needs & OPERATOR_FIXTURES),
        )
        prepared = replace(
            settings, workspace=workspace, state=state, containment=jail, databases=databases
        )
        run = _run_checks(prepared, jobs)
        run.notes.append(f"Containment: {jail.describe()}.")
        left = cgroups.kill_all(jail.cgroup_root)
        if left:
            names = ", ".join(sorted(set(left)))
            run.notes.append(
                f"{len(left)} of your programs were still running when the checks ended "
                f"and were stopped ({names}): something your code starts does not end"
            )
        return run
    finally:
        process.kill_all()
        if provisioning is not None:
            provisioning.close()
        cgroups.remove(jail.cgroup_root)
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(state, ignore_errors=True)
        os.close(guard)


SEED_FIXTURES = {"seed", "seed_later", "seeded"}
OPERATOR_FIXTURES = {"api", "own_api", "cli", *SEED_FIXTURES}


def _needs(settings: Settings) -> set[str]:
    """The fixtures the selected checks ask for."""
    return {
        need
        for check in all_checks()
        if check.stage.number <= settings.stage and (not settings.only or check.id in settings.only)
        for need in check.needs
    }


def _run_checks(settings: Settings, jobs: int | None) -> Run:
    """Run the checks with pytest, in parallel workers when there are enough of them."""
    plugin = RoadmapPlugin(settings)
    stages = [STAGES[n] for n in range(1, settings.stage + 1)]
    paths = [str(path) for stage in stages for path in stage.check_files()]
    workers = _workers(settings, jobs)
    parallel = ["-n", str(workers), "--dist", "worksteal"] if workers > 1 else ["-p", "no:xdist"]
    ini = ["-c", str(CHECKS_DIR / "pytest.ini"), "-p", "checks.harness.plugin"]
    settings_json = [SETTINGS_OPTION, settings.to_json()]
    code = pytest.main([*ini, *settings_json, *parallel, *paths], plugins=[plugin])
    if _stopped_by:  # pytest turned the interruption into an exit code of its own
        raise KeyboardInterrupt
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        raise Uncheckable(f"the checker could not run its checks (pytest exit {int(code)})")
    return Run(
        repo=settings.repo.name,
        project=settings.manifest.project,
        stage=settings.stage,
        seed=settings.seed,
        results=sorted(plugin.results, key=lambda result: catalog_order(result.check.id)),
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
    selected = len(settings.only) or sum(c.stage.number <= settings.stage for c in all_checks())
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1, selected // MIN_CHECKS_PER_WORKER))


def _report_dir(chosen: Path | None, repo: Path) -> Path:
    if chosen is not None:
        return chosen
    default = Path.cwd() / "reports" / repo.name
    if default.resolve().is_relative_to(repo):  # never write into the learner's repo
        return repo.parent / f"{repo.name}-roadmap-reports"
    return default


def _write_reports(run: Run, folder: Path) -> Path | None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "results.json").write_text(exercism.render(run), encoding="utf-8")
        (folder / "report.md").write_text(markdown.render(run), encoding="utf-8")
        (folder / "junit.xml").write_text(junit.render(run), encoding="utf-8")
    except OSError as error:
        print(f"roadmap-check: could not write reports to {folder}: {error}", file=sys.stderr)
        return None
    return folder


_stopped_by = 0  # the signal that stopped this run, if one did


def _stop_on_signal(signum: int, frame: FrameType | None) -> None:
    """SIGTERM (a CI timeout, `kill`) and Ctrl-C end the run, and take the learner's
    programs down with it, including those the parallel workers started."""
    global _stopped_by
    _stopped_by = signum
    process.kill_all()
    process.signal_children(signal.SIGTERM)
    raise KeyboardInterrupt


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
