"""`roadmap-grade PATH…`: check a whole cohort and summarise it in one table.

Each repository is checked in its own checker process (one repo cannot disturb another),
with its reports in `<report-dir>/<repo>/`; the cohort summary goes to
`<report-dir>/cohort.md` and `cohort.json`. Exit code: the worst of the runs (2 > 1 > 0).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def check_in_subprocess(repo: Path, report_dir: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    """Run the checker on one repo in its own process; return its exit code and results.json
    (or an error document carrying its last words, if it wrote none)."""
    command = [sys.executable, "-m", "checks", str(repo), "--report-dir", str(report_dir)]
    finished = subprocess.run([*command, *extra], capture_output=True, text=True, check=False)
    try:
        results: dict[str, Any] = json.loads((report_dir / "results.json").read_text("utf-8"))
    except (OSError, json.JSONDecodeError):
        results = {"status": "error", "message": finished.stderr.strip()[-300:], "tests": []}
    return finished.returncode, results


def grade_one(repo: Path, report_dir: Path, extra: list[str]) -> dict[str, Any]:
    exit_code, results = check_in_subprocess(repo, report_dir, *extra)
    tests = results["tests"]
    required = [t for t in tests if t.get("required") and t["status"] != "not-applicable"]
    # the checks to work on: those that failed on their own, not those they blocked
    failing = [t["id"] for t in required if t["status"] in ("fail", "error")]
    return {
        "repo": repo.name,
        "exit_code": exit_code,
        "status": results["status"],
        "stage": results.get("stage"),
        "passed": sum(t["status"] == "pass" for t in required),
        "required": len(required),
        "failing": failing,
        "message": results.get("message", ""),
    }


def render(rows: list[dict[str, Any]]) -> str:
    lines = [
        "# Cohort",
        "",
        "| repo | stage | required passing | status | to work on next |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        next_up = ", ".join(f"`{c}`" for c in row["failing"][:3]) or row["message"] or "—"
        score = f"{row['passed']}/{row['required']}" if row["required"] else "—"
        lines.append(
            f"| {row['repo']} | {row['stage'] or '—'} | {score} | {row['status']} | {next_up} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="roadmap-grade", description="Check several learner repositories and summarise."
    )
    parser.add_argument("paths", nargs="+", type=Path, help="the learners' project folders")
    parser.add_argument(
        "--report-dir",
        type=Path,
        default=Path("reports"),
        help="where the reports go (default: reports/)",
    )
    parser.add_argument("--stage", type=int, help="check every repo up to this stage")
    args = parser.parse_args(argv)
    extra = ["--stage", str(args.stage)] if args.stage else []
    rows = []
    for path in args.paths:
        repo = path.expanduser().resolve()
        print(f"checking {repo.name} …", flush=True)
        rows.append(grade_one(repo, args.report_dir / repo.name, extra))
    summary = render(rows)
    args.report_dir.mkdir(parents=True, exist_ok=True)
    (args.report_dir / "cohort.md").write_text(summary, encoding="utf-8")
    (args.report_dir / "cohort.json").write_text(json.dumps(rows, indent=2) + "\n", "utf-8")
    print("\n" + summary + f"\nReports: {args.report_dir.resolve()}")
    return max((row["exit_code"] for row in rows), default=0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
