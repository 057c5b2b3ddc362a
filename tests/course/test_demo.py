"""The demo (the README's first command) shows a failing starter beside a green reference."""

import re
import subprocess
import sys

import pytest

from checks.course.paths import finished_stages

# The checker options after OUT go to both runs. One check is enough to prove the demo's
# own work (render, build, check both, side by side, the verdicts): that the reference
# passes every check is test_proof's, from its own run, and a second whole run of the last
# reference here cost the suite four minutes of CPU.
_ONE_CHECK = ["--only", "01-cli/add-then-list"]

pytestmark = pytest.mark.slow


def test_the_demo_shows_the_starter_failing_and_the_reference_passing(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "checks.course.demo", str(tmp_path / "demo"), *_ONE_CHECK],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    highest = finished_stages()[-1].number
    assert "The starter does not pass yet (stage 1)." in result.stdout
    assert f"The reference passes (stage {highest})." in result.stdout
    assert re.search(r"^01-cli/add-then-list\s+✗\s+✓$", result.stdout, re.M)
