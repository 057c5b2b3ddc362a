"""Time `./nox -s check` on the reference project, cold and warm.

    python3 benchmarks/check_speed.py [--stage N] [--runs N]

Cold: the nox session's environment is deleted first, so nox builds it again (uv's
package cache stays: downloading is the network's speed, not ours). Warm: the session's
environment is reused, as on a learner's second run. The learner's own environment is
built fresh on every run either way. Uses only the standard library and ./nox.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(*command: str) -> float:
    began = time.perf_counter()
    subprocess.run(
        command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stage", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="roadmap-bench-") as tmp:
        project, reports = Path(tmp) / "reference", Path(tmp) / "reports"
        subprocess.run(
            ["./nox", "-s", "reference", "--", str(args.stage), str(project)],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        check = ("./nox", "-s", "check", "--", str(project), "--report-dir", str(reports))
        cold, warm = [], []
        for _ in range(args.runs):
            shutil.rmtree(ROOT / ".nox" / "check", ignore_errors=True)
            cold.append(timed(*check))
            warm.append(timed(*check))
    print(f"./nox -s check on the stage-{args.stage} reference, {args.runs} runs each")
    for name, times in (("cold", cold), ("warm", warm)):
        print(
            f"  {name}: median {statistics.median(times):5.1f} s  "
            f"(min {min(times):.1f}, max {max(times):.1f})"
        )


if __name__ == "__main__":
    main()
