"""The demo: the same checks on a fresh starter and on the reference, side by side.

python -m checks.course.demo [OUT] [CHECKER OPTIONS]    (default OUT: build/demo)

The checker options go to both runs: `--tests-timeout 300` on a slow or busy machine.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

from checks.cohort import check_in_subprocess
from checks.course.paths import ROOT, CourseError, finished_stages
from checks.course.reference import materialize, render_starter
from checks.report.exercism import checks_of, roadmap_status

MARK = {"pass": "✓", "fail": "✗", "error": "!", "not-applicable": "○"}  # blocked: not checked


def run_check(project: Path, reports: Path, options: list[str]) -> dict[str, Any]:
    """Run the real checker as a learner would (at the stage the project's manifest names)."""
    _, results = check_in_subprocess(project, reports, *options)
    return results


def side_by_side(starter: dict[str, Any], reference: dict[str, Any]) -> str:
    """One row per check of the reference; a dot where the starter was not checked."""
    ours = {check["id"]: roadmap_status(check) for check in checks_of(starter)}
    theirs = checks_of(reference)
    width = max(len(check["id"]) for check in theirs) + 2
    lines = [
        f"{'check':<{width}}starter  reference",
        f"{'-' * (width - 2):<{width}}-------  ---------",
    ]
    for check in theirs:
        advisory = "" if check["required"] else "  (advisory)"
        mine, its = MARK.get(ours.get(check["id"], ""), "·"), MARK.get(roadmap_status(check), "·")
        lines.append(f"{check['id']:<{width}}   {mine}         {its}{advisory}")
    return "\n".join(lines)


def first_failure(name: str, results: dict[str, Any], opening: str) -> str:
    """What the first failing check of `name` says ("" when none fails)."""
    failed = next((t for t in results["tests"] if roadmap_status(t) in ("fail", "error")), None)
    if failed is None:
        return ""
    body = "\n".join("    " + line for line in failed["message"].splitlines())
    return f"{opening}, the {name}'s {failed['id']} says:\n{body}\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    named = bool(args) and not args[0].startswith("-")
    out = Path(args[0]) if named else ROOT / "build" / "demo"
    options = args[1:] if named else args
    stages = finished_stages()
    if not stages:
        raise CourseError("no stage has both checks and a reference yet")
    stage = stages[-1].number
    shutil.rmtree(out, ignore_errors=True)
    print(f"1. Generating a fresh starter with cookiecutter into {out / 'starter'}")
    starter = render_starter(out / "starter")
    print(f"2. Building the stage-{stage} reference into {out / 'reference'}")
    reference = materialize(stage, out / "reference")
    print(
        "3. Checking each at the stage its manifest names: the starter at stage 1, the "
        f"reference at stages 1-{stage} (its own tests run too)\n"
    )
    results = {
        "starter": run_check(starter, out / "reports" / "starter", options),
        "reference": run_check(reference, out / "reports" / "reference", options),
    }
    print(side_by_side(results["starter"], results["reference"]) + "\n")  # no trailing space
    print(first_failure("starter", results["starter"], "For example"))
    # The reference should fail nothing: when it does, what failed is the first thing to read.
    print(first_failure("reference", results["reference"], "But"), end="")
    for name, result in results.items():
        verdict = "passes" if roadmap_status(result) == "pass" else "does not pass yet"
        print(
            f"The {name} {verdict} (stage {result['stage']}). "
            f"Report: {out / 'reports' / name / 'report.md'}"
        )
    verdicts = {name: roadmap_status(result) for name, result in results.items()}
    proved = verdicts == {"starter": "fail", "reference": "pass"}
    return 0 if proved else 1


if __name__ == "__main__":
    sys.exit(main())
