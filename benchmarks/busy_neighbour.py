"""Time an honest learner's check beside a neighbour that waits and beside one that spins.

    python3 benchmarks/busy_neighbour.py [--runs 3] [--json FILE]

What a mentor's `./nox -s grade -- ... --jobs 2` does on a 2-core machine: two checkers at
once, each with `--cpus` at half the machine (checks/cohort/grading.py), so that one
learner's busy loop cannot starve the learner graded beside it (issue 18, ADR 16). The
issue asks that the honest run take at most 1.5 times as long beside a busy neighbour as
beside a calm one.

The honest learner is the stage-1 reference (`./nox -s reference -- 1`), checked in full.
The neighbours are copies of it whose command, once run, either sleeps (calm) or starts
two busy processes per CPU (busy) for a minute; the checker runs that command through
`--only 01-cli/help`. Each honest run starts once its neighbour's command is running.
Calm and busy alternate, in pairs, so the machine's load drifts through both alike;
printed: each run's seconds, and the median of the pairwise ratios busy ÷ calm.

The test suite proves the mechanism without timing it (tests/containment/test_network.py:
the busy neighbour's cgroup carries the quota, and its spinners use no more than their
share); this is the measure, on a quiet machine. Uses only the standard library, git and
./nox.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AIM = 1.5
LIFETIME = 60  # seconds a neighbour's command keeps waiting or spinning
CGROUP = Path("/sys/fs/cgroup")
NEIGHBOUR = """
import multiprocessing, os, time


def spin():
    while True:
        pass


def main(argv=None):
    \"\"\"The {kind} neighbour: {what} for a while, then answer like a CLI.\"\"\"
    if {busy}:
        for _ in range((os.cpu_count() or 1) * 2):
            multiprocessing.Process(target=spin, daemon=True).start()
    time.sleep({lifetime})
    print("usage: expense-tracker [-h]")
    return 0
"""


def checker(project: Path, reports: Path, *args: str) -> list[str]:
    return ["./nox", "-s", "check", "--", str(project), "--report-dir", str(reports), *args]


def neighbour(reference: Path, folder: Path, busy: bool) -> Path:
    """A copy of the reference whose command waits (calm) or spins (busy)."""
    project = folder / ("busy" if busy else "calm") / "expense-tracker"
    shutil.copytree(reference, project, symlinks=True)
    what = "two busy processes per CPU" if busy else "it sleeps"
    code = NEIGHBOUR.format(
        kind="busy" if busy else "calm", what=what, busy=busy, lifetime=LIFETIME
    )
    (project / "src" / "expense_tracker" / "cli.py").write_text(code)
    return project


def commands_running(checker_pid: int) -> int:
    """How many processes of the learner's command run in the cgroups of the run that the
    checker `checker_pid` made (roadmap-PID-RUN, checks/harness/cgroups.py)."""
    pids = set()
    for folder, _, files in os.walk(CGROUP):
        if Path(folder).name.startswith(f"roadmap-{checker_pid}-") and "cgroup.procs" in files:
            try:
                pids |= set(Path(folder, "cgroup.procs").read_text().split())
            except OSError:
                continue
    count = 0
    for pid in pids:
        try:
            count += b"expense-tracker" in Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
    return count


def honest_beside(reference: Path, other: Path, busy: bool, folder: Path, share: str) -> float:
    """Seconds of the honest check while `other`'s command runs beside it."""
    only_help = ["--only", "01-cli/help", "--timeout", "90", "--cpus", share]
    beside = subprocess.Popen(  # ./nox execs the checker: its pid names the run's cgroups
        checker(other, folder / "other-report", *only_help),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wanted = 1 + (os.cpu_count() or 1) * 2 if busy else 1
    try:
        deadline = time.monotonic() + 120
        while commands_running(beside.pid) < wanted:
            if beside.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"the {other.parent.name} neighbour never started its command")
            time.sleep(0.2)
        began = time.monotonic()
        done = subprocess.run(
            checker(reference, folder / "honest-report", "--cpus", share),
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        took = time.monotonic() - began
        if done.returncode:
            sys.exit(
                f"the honest run failed beside the {other.parent.name} neighbour:\n"
                f"{done.stdout}{done.stderr}"
            )
        if beside.poll() is not None:
            sys.exit(f"the {other.parent.name} neighbour ended before the honest run did")
        return took
    finally:
        beside.terminate()
        beside.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="calm/busy pairs")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("a run's CPU share is a cgroup quota: run this as root")
    share = f"{(os.cpu_count() or 1) / 2:g}"  # what grade --jobs 2 gives each run
    with tempfile.TemporaryDirectory(prefix="busy-neighbour-") as temp:
        folder = Path(temp)
        reference = folder / "honest" / "expense-tracker"
        subprocess.run(
            ["./nox", "-s", "reference", "--", "1", str(reference)],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        others = {busy: neighbour(reference, folder, busy) for busy in (False, True)}
        # Uncounted: the nox session, uv's cache and the dependency venvs exist before timing.
        subprocess.run(checker(reference, folder / "warm"), cwd=ROOT, capture_output=True)
        pairs = []
        for turn in range(args.runs):
            calm = honest_beside(reference, others[False], False, folder, share)
            busy = honest_beside(reference, others[True], True, folder, share)
            pairs.append({"calm": round(calm, 2), "busy": round(busy, 2)})
            print(
                f"  pair {turn + 1}: beside calm {calm:.1f} s, beside busy {busy:.1f} s, "
                f"ratio {busy / calm:.2f}"
            )
    ratios = [pair["busy"] / pair["calm"] for pair in pairs]
    median = statistics.median(ratios)
    print(
        f"busy/calm, {args.runs} pairs, {os.cpu_count()} CPUs, --cpus {share}: median "
        f"{median:.2f} ({min(ratios):.2f}-{max(ratios):.2f}); aim <= {AIM}"
    )
    if args.json:
        figures = {"cpus": os.cpu_count(), "share": share, "pairs": pairs, "median": median}
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
