"""`roadmap-grade`: the mentor's command line."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from checks.cohort import artifacts, grading, outputs, progress, terminal_table
from checks.cohort.sources import InputError, Source, read_list, unique
from checks.report.layout import Style


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="roadmap-grade",
        description="Check several learner repositories and summarise them in one table.",
        epilog="Exit codes: 0 all pass, 1 some fail, 2 some could not be checked "
        "(or the input is wrong).",
    )
    parser.add_argument("paths", nargs="*", type=Path, help="the learners' project folders")
    inputs = parser.add_mutually_exclusive_group()
    inputs.add_argument(
        "--from",
        dest="list_file",
        type=Path,
        metavar="FILE",
        help="also grade the folders and git URLs listed in FILE, one per line, after the "
        "label that names the learner if you give one: `Ada Lovelace  ../ada-expenses`",
    )
    inputs.add_argument(
        "--from-artifacts",
        type=Path,
        metavar="DIR",
        help="summarise the results.json files under DIR (one learner per subfolder) "
        "instead of checking anything",
    )
    parser.add_argument(
        "--report-dir",
        type=Path,
        default=Path("reports"),
        help="where the reports go (default: reports/)",
    )
    parser.add_argument("--stage", type=int, help="check every repo up to this stage")
    parser.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="how many repos are checked at once (default: one per CPU)",
    )
    parser.add_argument(
        "--compare",
        type=Path,
        metavar="PREVIOUS",
        help="a cohort.json from an earlier run: show what each learner got passing since, "
        "or for how many runs nothing has moved",
    )
    args = parser.parse_args(argv)
    if args.from_artifacts and args.paths:
        parser.error("--from-artifacts reads reports only; give the folders in another run")
    if not (args.paths or args.list_file or args.from_artifacts):
        parser.error("give the learners' folders, --from FILE or --from-artifacts DIR")
    if args.jobs < 1:
        parser.error("--jobs must be 1 or more")
    return args


def main(argv: Sequence[str] | None = None, checker: Sequence[str] = grading.CHECKER) -> int:
    args = parse_args(argv)
    graded = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    try:
        # Every input is read before anything is checked: a typo costs a second, not a run.
        earlier = progress.load(args.compare) if args.compare else None
        if args.from_artifacts:
            rows = artifacts.collect(args.from_artifacts, args.report_dir, graded)
        else:
            sources = _sources(args.paths, args.list_file)
            extra = ["--stage", str(args.stage)] if args.stage else []
            at_once = min(args.jobs, len(sources))
            repositories = "1 repository" if len(sources) == 1 else f"{len(sources)} repositories"
            print(f"Checking {repositories}, {at_once} at a time.", flush=True)
            with tempfile.TemporaryDirectory(prefix="roadmap-grade-clones-") as scratch:
                rows = grading.grade(
                    sources, args.report_dir, extra, args.jobs, Path(scratch), checker, graded
                )
    except InputError as problem:
        print(f"roadmap-grade: {problem}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("roadmap-grade: interrupted", file=sys.stderr)
        return 130
    if earlier:
        rows = progress.compare(rows, earlier)
    compared_with = earlier.date if earlier else None
    outputs.write_all(rows, args.report_dir, compared_with)
    style = Style.detect(sys.stdout, os.environ, verbose=False)
    table = terminal_table.render(rows, compared_with, style)
    print(f"\n{table}Reports: {args.report_dir.resolve()}")
    return max((row.exit_code for row in rows), default=0)


def _sources(paths: list[Path], list_file: Path | None) -> list[Source]:
    sources = [Source.of_path(path) for path in paths]
    if list_file:
        listed = read_list(list_file)
        if not listed:
            raise InputError(f"{list_file} lists no repositories; write one per line")
        sources += listed
    return unique(sources)
