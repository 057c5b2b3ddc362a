"""A mentor grades a cohort in one command and gets one table."""

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


def test_a_cohort_is_summarised_with_the_worst_exit_code(reference_1, starter, tmp_path):
    missing = tmp_path / "dropped-out"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "checks.cohort",
            str(starter),
            str(reference_1),
            str(missing),
            "--report-dir",
            str(tmp_path / "reports"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    rows = json.loads((tmp_path / "reports" / "cohort.json").read_text())
    assert [(r["status"], r["passed"], r["required"]) for r in rows] == [
        ("fail", 2, 14),
        ("pass", 14, 14),
        ("error", 0, 0),
    ]
    summary = (tmp_path / "reports" / "cohort.md").read_text()
    assert "`01-cli/add-then-list`" in summary and "does not exist" in summary
    assert (tmp_path / "reports" / reference_1.name / "report.md").is_file()
