"""`roadmap-check PATH`: check a learner's repository and write the reports (`--watch`:
again after every change).

Exit codes: 0 every required check through the stage passes, 1 some fail, 2 the repository
could not be checked (the one-line reason is printed on stderr and saved in results.json).
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from checks import watch
from checks.harness import history, process, runner
from checks.harness import manifest as manifest_module
from checks.harness.catalog import STAGES, all_checks
from checks.harness.results import Run
from checks.harness.runner import Uncheckable
from checks.harness.settings import Settings
from checks.report import exercism, junit, markdown, terminal
from checks.report.layout import Layout

DEFAULT_TIMEOUT = 15.0
DEFAULT_TESTS_TIMEOUT = 120.0
DEFAULT_DEADLINE = 900.0  # the whole run; stage 3 takes well under a minute
DEFAULT_MUTATION_BUDGET = 60.0  # reference 4's services: 120 mutants in 14-20 s, quiet machine
DEFAULT_FUZZ_BUDGET = 30.0  # stage 5's fuzzing: finds the mutants' planted bugs (README)


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
        "--cpus",
        type=float,
        help="the CPUs' time your programs may use together (a cgroup quota, where the "
        "machine allows one; a cohort's grade sets it so one learner cannot starve another)",
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
        "--fuzz-budget",
        type=float,
        default=DEFAULT_FUZZ_BUDGET,
        metavar="SECONDS",
        help="from stage 5: seconds the fuzzer may spend on your API, beside the other "
        f"checks (default {DEFAULT_FUZZ_BUDGET:.0f}); finding nothing is not a proof",
    )
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="from stage 4: a PostgreSQL server to make the run's databases on, as "
        "postgresql://USER:PASS@HOST:PORT/DB (default: $ROADMAP_DATABASE_URL, else a "
        "throw-away server started from this machine's PostgreSQL)",
    )
    parser.add_argument(
        "--mutation",
        action="store_true",
        help="from stage 5: also run mutation testing (mutmut) on your services with your "
        "unit tests, an advisory measure that takes about a minute (default: not measured)",
    )
    parser.add_argument(
        "--mutation-budget",
        type=float,
        metavar="SECONDS",
        help="seconds mutmut may run; implies --mutation (default "
        f"{DEFAULT_MUTATION_BUDGET:.0f}; the mutants it tried by then are reported)",
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
        run = runner.check(settings, args.jobs)
    except Uncheckable as reason:
        run = Run(repo=repo.name, project=repo.name, stage=args.stage or 0, seed=seed)
        run.error = str(reason)
        _say_uncheckable(args.path, str(reason))
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
        _say_uncheckable(args.path, run.error)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        process.kill_all()
    previous = history.previous(report_dir)  # before this run replaces it
    # A path that is no folder is a typo: no report folder named after it.
    written = _write_reports(run, report_dir) if repo.is_dir() else None
    if written:
        history.keep(report_dir, previous, run)
    if not run.error:
        style = terminal.Style.detect(sys.stdout, os.environ, verbose=args.verbose)
        change = history.compare(previous, run)
        print(terminal.render(run, style, change, reports=bool(written)), end="")
    if written:
        print(f"Reports: {written}")
    return run.exit_code


def _say_uncheckable(path: Path, reason: str) -> None:
    """The one reason for exit 2, wrapped on a terminal under its first words."""
    style = terminal.Style.detect(sys.stderr, os.environ, verbose=False)
    head = "roadmap-check: "
    text = f"could not check {path}: {reason}"
    print("\n".join(Layout(style).wrapped(head, text)), file=sys.stderr)


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
    known = {check.id for check in all_checks(through=stage)}
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
    if args.cpus is not None and args.cpus <= 0:
        raise Uncheckable("--cpus must be a positive number of CPUs, such as 1 or 0.5")
    if args.mutation_budget is not None and args.mutation_budget <= 0:
        raise Uncheckable("--mutation-budget must be a positive number of seconds")
    if args.fuzz_budget < 1:
        raise Uncheckable("--fuzz-budget must be 1 second or more")
    return Settings(
        repo,
        manifest,
        stage,
        seed,
        args.timeout,
        tuple(args.only),
        args.tests_timeout,
        database_url=args.database_url,
        cpus=args.cpus,
        starts=(manifest.missing_table(stage) or (None,))[0],
        mutation=args.mutation or args.mutation_budget is not None,
        mutation_budget=args.mutation_budget or DEFAULT_MUTATION_BUDGET,
        fuzz_budget=args.fuzz_budget,
    )


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
