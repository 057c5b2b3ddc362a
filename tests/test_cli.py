"""The checker's own failure modes: every bad input ends in one readable line.

Each case asserts the promise of the README: a one-line reason and exit code 2 (or a
failed check), never a traceback, never a leftover process, and the learner's folder
byte-for-byte unchanged.
"""

import os
import re
import time
from pathlib import Path

import pytest

from tests.conftest import processes_with, run_checker, snapshot

pytestmark = pytest.mark.slow

HANGING_CLI = """
import subprocess, sys, time

def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    if "--help" in args:
        print("usage: expense-tracker [-h] {add,list,show,delete,summary}")
        return 0
    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", "MARKER"])
    time.sleep(600)
    return 0
"""

FLOODING_CLI = """
import sys

def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    if "--help" in args:
        print("usage: expense-tracker [-h] {add,list,show,delete,summary}")
        return 0
    chunk = "x" * 65536
    for _ in range(2000):  # 128 MB, far past the checker's limit
        sys.stdout.write(chunk)
    return 0
"""


def _one_line_error(run) -> str:
    assert run.exit_code == 2, run.stdout + run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    return lines[0]


def _set_manifest(project: Path, old: str, new: str) -> None:
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace(old, new))


def test_a_path_that_does_not_exist_is_one_line_and_exit_2(tmp_path):
    run = run_checker(tmp_path / "nowhere", tmp_path / "report")
    assert "does not exist" in _one_line_error(run)
    assert run.results["status"] == "error"


def test_a_folder_without_pyproject_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "notes.txt").write_text("not a project")
    before = snapshot(tmp_path / "project")
    run = run_checker(tmp_path / "project", tmp_path / "report")
    assert "has no pyproject.toml" in _one_line_error(run)
    assert snapshot(tmp_path / "project") == before


def test_a_missing_manifest_is_one_line_and_exit_2(reference_1, copy_of, tmp_path):
    project = copy_of(reference_1)
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().split("[tool.roadmap]")[0])
    run = run_checker(project, tmp_path / "report")
    assert "no [tool.roadmap] table" in _one_line_error(run)


def test_a_malformed_manifest_names_the_key_and_shows_an_example(reference_1, copy_of, tmp_path):
    project = copy_of(reference_1)
    _set_manifest(project, 'summary = ["summary", "--json"]', 'summary = "summary --json"')
    before = snapshot(project)
    line = _one_line_error(run_checker(project, tmp_path / "report"))
    assert "[tool.roadmap.cli] summary" in line and "for example" in line
    assert snapshot(project) == before


@pytest.mark.parametrize(
    ("stage", "says"), [("9", "does not exist"), ("0", "does not exist"), ("4", "not written yet")]
)
def test_a_stage_out_of_range_is_one_line_and_exit_2(reference_1, tmp_path, stage, says):
    run = run_checker(reference_1, tmp_path / "report", "--stage", stage)
    assert says in _one_line_error(run)


def test_an_unknown_check_id_is_one_line_and_exit_2(reference_1, tmp_path):
    run = run_checker(reference_1, tmp_path / "report", "--only", "01-cli/nope")
    assert "no check '01-cli/nope'" in _one_line_error(run)


def test_a_project_that_does_not_install_fails_the_install_check(reference_1, copy_of, tmp_path):
    project = copy_of(reference_1)
    (project / "src" / "expense_tracker" / "__init__.py").unlink()
    before = snapshot(project)
    run = run_checker(project, tmp_path / "report")
    assert run.exit_code == 1
    assert run.statuses()["01-cli/installs"] == "fail"
    assert run.statuses()["01-cli/add-then-list"] == "blocked"
    assert run.message("01-cli/add-then-list") == "not checked: blocked by 01-cli/installs"
    assert "Next: fix 01-cli/installs — your project does not install" in run.stdout
    assert "Traceback" not in run.stdout + run.stderr
    assert snapshot(project) == before


def test_a_command_that_hangs_is_stopped_and_leaves_no_process(reference_1, copy_of, tmp_path):
    marker = f"roadmap-hang-{os.getpid()}-{time.monotonic_ns()}"
    project = copy_of(reference_1)
    cli = project / "src" / "expense_tracker" / "cli.py"
    cli.write_text(HANGING_CLI.replace("MARKER", marker))
    before = snapshot(project)
    run = run_checker(
        project,
        tmp_path / "report",
        "--timeout",
        "1",
        "--only",
        "01-cli/add-then-list",
        "--only",
        "01-cli/summary",
    )
    assert run.exit_code == 1
    assert "did not finish in time" in run.message("01-cli/add-then-list")
    assert "still running after 1 s" in run.message("01-cli/add-then-list")
    # summary stands on adding, which hung: one cause, one failure
    assert run.message("01-cli/summary") == "not checked: blocked by 01-cli/add-then-list"
    assert processes_with(marker) == []
    assert snapshot(project) == before


def test_a_command_that_floods_output_is_stopped_with_a_clear_message(
    reference_1, copy_of, tmp_path
):
    project = copy_of(reference_1)
    (project / "src" / "expense_tracker" / "cli.py").write_text(FLOODING_CLI)
    run = run_checker(project, tmp_path / "report", "--only", "01-cli/list-json")
    assert run.exit_code == 1
    assert "printed more than 10 MB" in run.message("01-cli/list-json")
    assert len(run.stdout) < 20_000, "the flood must not reach the learner's terminal"


def test_reports_are_never_written_into_the_learners_repo(reference_1, copy_of, tmp_path):
    import subprocess
    import sys

    project = copy_of(reference_1)
    before = snapshot(project)
    result = subprocess.run(
        [sys.executable, "-m", "checks", ".", "--only", "01-cli/help"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert snapshot(project) == before
    written = re.search(r"Reports: (.+)", result.stdout)
    assert written and Path(written.group(1), "results.json").is_file()
