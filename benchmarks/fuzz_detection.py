"""How often the fuzz checks find each planted bug within a budget, over seeded runs.

    .nox/tests/bin/python benchmarks/fuzz_detection.py [--runs 10] [--budget 30]
        [--defect NAME ...] [--json FILE]

The defects: each stage-5 mutant whose `Caught-by` is a fuzz check
(stages/05-quality/mutants/), applied to reference 5, and reference 5 itself ("clean");
without stage 5's folder, the defects planted in reference 4 by
tests/stages/planted_fuzz.py (a 500 behind a valid body, an answer off its schema, a route
that ignores the token), with its own 5xx fixed first. The checker runs on each with
`--stage 5`, only the fuzz checks, `--fuzz-budget BUDGET` and seeds 1..RUNS. Printed per
defect: how many runs found it (the check it names failed; for "clean", how many passed
every required fuzz check), and per run the requests the fuzzer sent, the whole step's
seconds (from the run's notes) and the checker's wall time. With ROADMAP_FUZZ_KEEP set
per run, each report folder also keeps the fuzzer's order, its time by route and what the
server printed.

The issue (19) asks for each planted 500 found within the default budget in 10 of 10
seeded runs. Runs one checker at a time; the machine's load shows in the seconds, and
the figure to read is the count found.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.stages import planted_fuzz  # noqa: E402  (after the path is set)

FUZZ_CHECKS = (
    "05-quality/fuzz-no-server-errors",
    "05-quality/fuzz-responses-match-schema",
    "05-quality/fuzz-routes-need-a-token",
    "05-quality/fuzz-documented-status",
    "05-quality/fuzz-valid-data-accepted",
)
REQUIRED = FUZZ_CHECKS[:3]
PLANTED = {  # the check each defect planted in reference 4 must fail
    "server-error": "05-quality/fuzz-no-server-errors",
    "off-schema": "05-quality/fuzz-responses-match-schema",
    "ignores-token": "05-quality/fuzz-routes-need-a-token",
    "clean": None,
}
NOTE = re.compile(r"sent (\d+) requests.*took (\d+) s")


def build(folder: Path) -> dict[str, tuple[Path, str | None]]:
    """Each defect's project and the check it must fail (None: every required one passes)."""
    from checks.course import mutants
    from checks.harness.catalog import STAGES

    stage = STAGES[5]
    fuzzing = [m for m in mutants.of_stage(stage) if m.caught_by in FUZZ_CHECKS]
    number = 5 if fuzzing else 4
    reference = folder / "reference" / "expense-tracker"
    subprocess.run(
        [sys.executable, "-m", "checks.course.reference", str(number), str(reference)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    projects: dict[str, tuple[Path, str | None]] = {}
    defects = {m.path.stem: m.caught_by for m in fuzzing} if fuzzing else PLANTED
    for name, caught_by in {**defects, "clean": None}.items():
        project = folder / name / "expense-tracker"
        shutil.copytree(reference, project, symlinks=True)
        if fuzzing:
            if name != "clean":
                next(m for m in fuzzing if m.path.stem == name).apply(project)
        else:
            planted_fuzz.apply(project, planted_fuzz.CLEAN, planted_fuzz.PLANTED.get(name, {}))
        projects[name] = (project, caught_by)
    return projects


def check(project: Path, seed: int, budget: float, report: Path) -> dict[str, object]:
    only = [arg for check_id in FUZZ_CHECKS for arg in ("--only", check_id)]
    options = ["--seed", str(seed), "--fuzz-budget", str(budget), "--report-dir", str(report)]
    began = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "checks", str(project), "--stage", "5", *only, *options],
        cwd=ROOT,
        capture_output=True,
        timeout=900,
        env={**_as_a_mentor_runs_it(), "ROADMAP_FUZZ_KEEP": str(report / "fuzz")},
    )
    wall = time.monotonic() - began
    results = json.loads((report / "results.json").read_text())
    failed = {str(t["id"]) for t in _failed(results)}
    note = next((n for n in results.get("notes", []) if n.startswith("Fuzzing")), "")
    found = NOTE.search(note)
    kept = sorted((report / "fuzz").glob("*.json"))
    timing = json.loads(kept[0].read_text()).get("timing") if kept else None
    return {
        "timing": timing,
        "seed": seed,
        "failed": sorted(failed),
        "requests": int(found[1]) if found else None,
        "step_seconds": int(found[2]) if found else None,
        "wall": round(wall, 1),
    }


def _as_a_mentor_runs_it() -> dict[str, str]:
    """This environment, but writing bytecode: a sandbox that forbids it makes every run
    compile the fuzzer's hundreds of modules again, which no mentor's machine does."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _failed(results: dict[str, object]) -> list[dict[str, object]]:
    tests = results.get("tests") or []
    assert isinstance(tests, list)
    return [t for t in tests if t.get("status") != "pass"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--budget", type=float, default=30.0)
    parser.add_argument("--defect", action="append", help="only these (a mutant's file name)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="fuzz-detection-"))
    summary: dict[str, object] = {"budget": args.budget, "runs": args.runs, "defects": {}}
    try:
        projects = build(folder)
        for name in args.defect or list(projects):
            project, expected = projects[name]
            runs = []
            for seed in range(1, args.runs + 1):
                report = folder / f"report-{name}-{seed}"
                run = check(project, seed, args.budget, report)
                if run["requests"] is None:  # it never fuzzed (an install that failed): again
                    shutil.rmtree(report, ignore_errors=True)
                    run = check(project, seed, args.budget, report)
                failed = set(run["failed"])  # type: ignore[call-overload]
                run["found"] = expected in failed if expected else not set(REQUIRED) & failed
                runs.append(run)
                shown = {k: v for k, v in run.items() if k != "timing"}
                print(f"{name} seed {seed}: {shown}", flush=True)
            hits = sum(1 for run in runs if run["found"])
            what = "found" if expected else "passed the required checks"
            print(f"== {name}: {what} in {hits} of {len(runs)} runs", flush=True)
            summary["defects"][name] = {"hits": hits, "runs": runs}  # type: ignore[index]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
