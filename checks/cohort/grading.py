"""Run the checker over every repository of a cohort, several at once.

Each repository is checked in its own checker process, so one cannot disturb another.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from checks.cohort.git_facts import last_commit
from checks.cohort.rows import Row, stuck_first
from checks.cohort.sources import CloneFailed, Source, clone

CHECKER = (sys.executable, "-m", "checks")  # roadmap-check, as a learner runs it


def check_in_subprocess(
    repo: Path, report_dir: Path, *extra: str, checker: Sequence[str] = CHECKER
) -> tuple[int, dict[str, Any]]:
    """Run the checker on one repo in its own process; return its exit code and results.json
    (or an error document carrying its last words, if it wrote none)."""
    (report_dir / "results.json").unlink(missing_ok=True)  # never read an earlier run's
    command = [*checker, str(repo), "--report-dir", str(report_dir), *extra]
    finished = subprocess.run(command, capture_output=True, text=True, check=False)
    try:
        results: dict[str, Any] = json.loads((report_dir / "results.json").read_text("utf-8"))
    except (OSError, json.JSONDecodeError):
        results = {"status": "error", "message": finished.stderr.strip()[-300:], "tests": []}
    return finished.returncode, results


def grade(
    sources: list[Source],
    report_dir: Path,
    extra: Sequence[str],
    jobs: int,
    scratch: Path,
    checker: Sequence[str] = CHECKER,
    graded: str = "",
) -> list[Row]:
    """One row per source, stuck learners first, whatever order the checks finish in.

    URLs are cloned into `scratch`, which the caller deletes. With several checks at once,
    each checker runs its own checks one at a time, so the machine's cores are not
    oversubscribed.
    """
    workers = max(1, min(jobs, len(sources)))
    # Several at once: each checker runs its checks one at a time, and its learner's
    # programs get a fair share of the machine (a busy loop cannot starve the others).
    share = f"{max((os.cpu_count() or 1) / workers, 0.5):g}"
    each = [*extra, "--jobs", "1", "--cpus", share] if workers > 1 else list(extra)

    def one(source: Source) -> Row:
        return grade_one(source, report_dir, each, scratch, checker, graded)

    rows = []
    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        futures = [pool.submit(one, source) for source in sources]
        for done, future in enumerate(as_completed(futures), start=1):
            row = future.result()
            rows.append(row)
            score = f", {row.passed}/{row.required} required" if row.required else ""
            print(f"[{done}/{len(sources)}] {row.learner}: {row.status}{score}", flush=True)
    finally:  # on Ctrl-C, start no one else (those running got the Ctrl-C too)
        pool.shutdown(wait=True, cancel_futures=True)
    return sorted(rows, key=stuck_first)


def grade_one(
    source: Source,
    report_dir: Path,
    extra: Sequence[str],
    scratch: Path,
    checker: Sequence[str] = CHECKER,
    graded: str = "",
) -> Row:
    facts: dict[str, Any] = {"key": source.key, "repo": source.name, "graded": graded}
    facts["learner"] = source.label or source.name  # never the last commit's author
    repo = source.path
    if repo is None:
        try:
            repo = clone(str(source.url), scratch / source.folder)
        except CloneFailed as failed:
            fix = "check the URL, and that the repository is public or your git can reach it"
            return Row.unchecked(f"could not clone {source.url}: {failed}; {fix}", **facts)
    commit = last_commit(repo)
    folder = report_dir / source.folder
    folder.mkdir(parents=True, exist_ok=True)
    exit_code, results = check_in_subprocess(repo, folder, *extra, checker=checker)
    return Row.from_results(
        results,
        commit=commit.sha if commit else "",
        date=commit.date if commit else "",
        report=f"{source.folder}/report.md" if (folder / "report.md").is_file() else "",
        exit_code=exit_code if exit_code in (0, 1) else 2,  # killed counts as unchecked
        **facts,
    )
