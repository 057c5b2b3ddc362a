"""The demo: the same checks on a fresh starter and on the reference, side by side.

python -m checks.course.demo [OUT]      (default OUT: build/demo)
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

from checks.cohort import check_in_subprocess
from checks.course.paths import ROOT, CourseError, finished_stages
from checks.course.reference import materialize, render_starter

MARK = {"pass": "✓", "fail": "✗", "error": "!"}


def run_check(project: Path, stage: int, reports: Path) -> dict[str, Any]:
    """Run the real checker as a learner would, and read back its results.json."""
    _, results = check_in_subprocess(project, reports, "--stage", str(stage))
    return results


def side_by_side(starter: dict[str, Any], reference: dict[str, Any]) -> str:
    theirs = {test["id"]: test["status"] for test in reference["tests"]}
    width = max(len(test["id"]) for test in starter["tests"]) + 2
    lines = [
        f"{'check':<{width}}starter  reference",
        f"{'-' * (width - 2):<{width}}-------  ---------",
    ]
    for test in starter["tests"]:
        advisory = "" if test["required"] else "  (advisory)"
        ours, their = MARK[test["status"]], MARK[theirs.get(test["id"], "error")]
        lines.append(f"{test['id']:<{width}}   {ours}         {their}{advisory}")
    return "\n".join(lines)


def first_failure(results: dict[str, Any]) -> str:
    failed = next((t for t in results["tests"] if t["status"] != "pass"), None)
    if failed is None:
        return ""
    body = "\n".join("    " + line for line in failed["message"].splitlines())
    return f"For example, the starter's {failed['id']} says:\n{body}"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else ROOT / "build" / "demo"
    stages = finished_stages()
    if not stages:
        raise CourseError("no stage has both checks and a reference yet")
    stage = stages[-1].number
    shutil.rmtree(out, ignore_errors=True)
    print(f"1. Generating a fresh starter with cookiecutter into {out / 'starter'}")
    starter = render_starter(out / "starter")
    print(f"2. Building the stage-{stage} reference into {out / 'reference'}")
    reference = materialize(stage, out / "reference")
    print(f"3. Checking both against stages 1-{stage} (the reference's own tests run too)\n")
    starter_results = run_check(starter, stage, out / "reports" / "starter")
    reference_results = run_check(reference, stage, out / "reports" / "reference")
    print(side_by_side(starter_results, reference_results), "\n")
    print(first_failure(starter_results), "\n")
    for name, results in (("starter", starter_results), ("reference", reference_results)):
        verdict = "passes stage {}" if results["status"] == "pass" else "does not pass stage {} yet"
        report = out / "reports" / name / "report.md"
        print(f"The {name} {verdict.format(stage)}. Report: {report}")
    return 0 if starter_results["status"] == "fail" and reference_results["status"] == "pass" else 1


if __name__ == "__main__":
    sys.exit(main())
