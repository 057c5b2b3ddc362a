"""Time `./nox -s grade` on a cohort with `--jobs 1` and with `--jobs 2`, and their ratio.

    python3 benchmarks/cohort_speed.py [--learners N] [--runs N] [--jobs N] [--json FILE]

Builds a cohort of N learners (default 20) in a temporary folder, untimed: fresh starters
generated with the real cookiecutter CLI from template/ (one per domain preset, each a git
repository with the first commit the template's hook makes) and the references of stages
1-3 (`./nox -s reference`, as check_speed.py gets them). Stage 4 is left out: its checks
need PostgreSQL, and a throw-away server per checker would measure PostgreSQL's start-up
more than the grading. Each distinct project is built once and copied (with its .git) to
make the N learners; each copy gets its own folder name (what the cohort table names the
learner by) and its own author on its last commit, as real learners' repos have. The
copies keep their project's pyproject.toml, so they share its dependency venv (see below).

Then `./nox -s grade -- FOLDERS... --jobs 1` and `--jobs 2` run in alternating pairs, each
into a fresh report folder, so the machine's load drifts through both alike. Printed: the
seconds of each, the median ratio jobs1/jobs2, and how many CPUs each kept busy (the CPU
time of the grade command and the processes it waited for, over the wall time: a lower
bound). A ratio near 2 means `--jobs 2` grades twice as fast: both cores stay busy. Below
2, part of a `--jobs 1` run already used both cores, since a single checker runs its own
checks in parallel workers.

A first grade of the distinct projects runs before any timing, untimed: it builds the
grade session and the checker's dependency venv for each distinct project (the checker
reuses them, keyed by the files that declare the dependencies: checks/harness/venv_cache.py),
as a mentor's weekly run would find them. Uses only the standard library, git and ./nox.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "template"
COOKIECUTTER_PYTHON = ROOT / ".nox" / "reference" / "bin" / "python"  # the course group's
# The distinct projects, in the order a cohort cycles through them: a reference comes
# first, so the reference session (whose venv holds cookiecutter) exists before a starter.
KINDS = (
    "reference-1",
    "starter-expenses",
    "reference-2",
    "starter-bookmarks",
    "reference-3",
    "starter-inventory",
    "starter-habits",
)
NAMES = (
    "Ada", "Bo", "Cy", "Di", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jo",
    "Kai", "Lea", "Max", "Noor", "Oli", "Pia", "Quinn", "Rui", "Sol", "Tam",
)  # fmt: skip
# Identity and config that would make a render depend on the machine it runs on.
MACHINE_GIT = ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL")


@dataclass(frozen=True)
class Learner:
    kind: str  # one of KINDS: the project this learner's folder is a copy of
    folder: str  # the learner's own folder name in the cohort
    author: str  # the author of the folder's last commit


def plan(learners: int) -> list[Learner]:
    """The cohort: learners cycle through KINDS, each with their own name and folder."""
    cohort = []
    for i in range(learners):
        name = NAMES[i % len(NAMES)] + (str(i // len(NAMES) + 1) if i >= len(NAMES) else "")
        kind = KINDS[i % len(KINDS)]
        cohort.append(Learner(kind, f"{name.lower()}-{kind}", f"{name} Learner"))
    return cohort


def run(*argv: str | Path, cwd: Path, env: dict[str, str] | None = None) -> None:
    """Run a command to completion; on failure show its output, since it is a bug here."""
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(
            f"{' '.join(map(str, argv))} exited {done.returncode}:\n{done.stdout}{done.stderr}"
        )


def build(kind: str, dest: Path, home: Path) -> None:
    """Make one distinct project: a stage's reference, or a fresh starter of a domain."""
    what, _, which = kind.partition("-")
    if what == "reference":
        run("./nox", "-s", "reference", "--", which, dest, cwd=ROOT)
        return
    if not COOKIECUTTER_PYTHON.is_file():
        sys.exit(f"no {COOKIECUTTER_PYTHON}: run `./nox -s reference -- 1 build/reference` once")
    # As on a fresh machine: no user config, and git's identity comes from the template.
    env = {k: v for k, v in os.environ.items() if k not in MACHINE_GIT}
    env |= {"HOME": str(home), "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    out = dest.parent / f".render-{kind}"
    run(
        COOKIECUTTER_PYTHON,
        "-m",
        "cookiecutter",
        TEMPLATE,
        "--no-input",
        "--default-config",
        "-o",
        out,
        f"domain={which}",
        cwd=home,
        env=env,
    )
    (rendered,) = out.iterdir()
    rendered.rename(dest)
    out.rmdir()


def enrol(project: Path, dest: Path, author: str) -> None:
    """Copy a project, history included, to a learner's folder; make them its last author."""
    shutil.copytree(project, dest, symlinks=True)
    email = f"{author.split()[0].lower()}@example.com"
    identity = ("-c", f"user.name={author}", "-c", f"user.email={email}")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    amend = ("commit", "--quiet", "--amend", "--no-edit", "--no-verify")
    run("git", *identity, *amend, f"--author={author} <{email}>", cwd=dest, env=env)


def make_cohort(cohort: list[Learner], folder: Path) -> dict[str, Path]:
    """Build each distinct project the cohort needs once, then a folder per learner;
    return the distinct projects' folders."""
    builds, home = folder / "distinct", folder / "home"
    home.mkdir(parents=True)
    builds.mkdir()
    distinct = {}
    for kind in dict.fromkeys(learner.kind for learner in cohort):
        distinct[kind] = builds / kind
        build(kind, distinct[kind], home)
    for learner in cohort:
        enrol(distinct[learner.kind], folder / "learners" / learner.folder, learner.author)
    return distinct


def cpu_seconds() -> float:
    """CPU time of the processes this one has waited for, and theirs, so far."""
    times = os.times()
    return times.children_user + times.children_system


def machine_busy() -> tuple[int, int] | None:
    """(busy, total) clock ticks of all the machine's CPUs since boot, or None off Linux."""
    try:
        ticks = [int(n) for n in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    except (OSError, ValueError):
        return None
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle + iowait
    return sum(ticks) - idle, sum(ticks)


def grade(folders: Sequence[Path], jobs: int, reports: Path) -> dict[str, float]:
    """One `./nox -s grade` run: its seconds, the CPUs it kept busy, and the machine's."""
    before_cpu, before_machine = cpu_seconds(), machine_busy()
    began = time.perf_counter()
    argv = ["./nox", "-s", "grade", "--", *map(str, folders), "--jobs", str(jobs)]
    done = subprocess.run(
        [*argv, "--report-dir", str(reports)], cwd=ROOT, capture_output=True, text=True
    )
    wall = time.perf_counter() - began
    rows = _rows(reports / "cohort.json")
    errors = [row for row in rows if row.get("status") == "error"]
    if done.returncode not in (0, 1) or len(rows) != len(folders) or errors:
        # Starters fail (exit 1); a learner that could not be checked is a bug here.
        sys.exit(f"{' '.join(argv)} exited {done.returncode}:\n{done.stdout}{done.stderr}")
    figures = {"seconds": wall, "cpus_busy": (cpu_seconds() - before_cpu) / wall}
    after_machine = machine_busy()
    if before_machine and after_machine:
        busy, total = (a - b for a, b in zip(after_machine, before_machine, strict=True))
        figures["machine_cpus_busy"] = (os.cpu_count() or 1) * busy / max(total, 1)
    return figures


def _rows(cohort_json: Path) -> list[dict[str, Any]]:
    """The rows of a cohort.json (a list, one object per learner); none when unreadable."""
    try:
        rows = json.loads(cohort_json.read_text("utf-8"))
    except (OSError, json.JSONDecodeError):
        return []
    return rows if isinstance(rows, list) else []


def spread(values: list[float]) -> dict[str, float]:
    return {
        k: round(f(values), 3)
        for k, f in (("median", statistics.median), ("min", min), ("max", max))
    }


def bench(learners: int, runs: int, jobs: int) -> dict[str, Any]:
    cohort = plan(learners)
    with tempfile.TemporaryDirectory(prefix="roadmap-cohort-bench-") as tmp:
        began = time.perf_counter()
        distinct = make_cohort(cohort, Path(tmp))
        built = time.perf_counter() - began
        kinds = ", ".join(f"{sum(c.kind == k for c in cohort)} {k}" for k in distinct)
        print(
            f"built {len(distinct)} distinct projects, copied to {learners} learners "
            f"in {built:.1f} s (untimed): {kinds}",
            flush=True,
        )
        began = time.perf_counter()
        grade(list(distinct.values()), jobs, Path(tmp) / "reports" / "warm-up")
        warm_up = time.perf_counter() - began
        print(
            f"warm-up grade of the {len(distinct)} distinct projects, --jobs {jobs}: "
            f"{warm_up:.1f} s (untimed; builds the grade session and each project's "
            "dependency venv, as a second run finds them)",
            flush=True,
        )
        folders = [Path(tmp) / "learners" / learner.folder for learner in cohort]
        serial: list[dict[str, float]] = []
        parallel: list[dict[str, float]] = []
        for i in range(runs):
            # Swap the order in each pair so neither side always runs on a busier machine.
            for width in (jobs, 1) if i % 2 else (1, jobs):
                figures = grade(folders, width, Path(tmp) / "reports" / f"{i}-jobs{width}")
                (serial if width == 1 else parallel).append(figures)
            one, two = serial[-1], parallel[-1]
            print(
                f"  pair {i + 1}: --jobs 1 {_line(one)}; --jobs {jobs} {_line(two)}; "
                f"ratio {one['seconds'] / two['seconds']:.2f}",
                flush=True,
            )
    return {
        "learners": learners,
        "cohort": {kind: sum(c.kind == kind for c in cohort) for kind in distinct},
        "runs": runs,
        "jobs": jobs,
        "build_seconds": round(built, 3),
        "warm_up_seconds": round(warm_up, 3),
        "jobs_1": _summary(serial),
        f"jobs_{jobs}": _summary(parallel),
        "ratio": spread(
            [a["seconds"] / b["seconds"] for a, b in zip(serial, parallel, strict=True)]
        ),
    }


def _line(figures: dict[str, float]) -> str:
    machine = figures.get("machine_cpus_busy")
    whole = f", machine {machine:.2f}" if machine is not None else ""
    return f"{figures['seconds']:.1f} s ({figures['cpus_busy']:.2f} CPUs busy{whole})"


def _summary(runs: list[dict[str, float]]) -> dict[str, dict[str, float]]:
    return {key: spread([run[key] for run in runs]) for key in runs[0]}


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--learners", type=int, default=20, help="cohort size (default: 20)")
    parser.add_argument("--runs", type=int, default=1, help="--jobs 1 / --jobs N pairs")
    parser.add_argument(
        "--jobs", type=int, default=2, help="the parallel run's --jobs (default: 2)"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    for option in ("learners", "runs"):
        if getattr(args, option) < 1:
            parser.error(f"--{option} must be 1 or more")
    if args.jobs < 2:
        parser.error("--jobs must be 2 or more: it is compared with --jobs 1")
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    cache = os.environ.get("ROADMAP_VENV_CACHE", "on")
    print(
        f"grade --jobs 1 vs --jobs {args.jobs}, {args.learners} learners, {args.runs} "
        f"pair(s), {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}, "
        f"dependency venv cache {cache}",
        flush=True,
    )
    result = bench(args.learners, args.runs, args.jobs)
    one, many, ratio = result["jobs_1"], result[f"jobs_{args.jobs}"], result["ratio"]
    print(
        f"--jobs 1: {one['seconds']['median']:.1f} s, {one['cpus_busy']['median']:.2f} CPUs "
        f"busy; --jobs {args.jobs}: {many['seconds']['median']:.1f} s, "
        f"{many['cpus_busy']['median']:.2f} CPUs busy; ratio jobs1/jobs{args.jobs} "
        f"{ratio['median']:.2f} ({ratio['min']:.2f}-{ratio['max']:.2f}), medians"
    )
    if args.json:
        python = sys.version.split()[0]
        machine = {"cpus": os.cpu_count(), "load": os.getloadavg(), "python": python}
        args.json.write_text(json.dumps({"machine": machine, **result}, indent=2) + "\n")


if __name__ == "__main__":
    main()
