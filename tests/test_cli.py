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


def test_a_path_that_does_not_exist_is_one_line_and_exit_2_and_makes_no_report_folder(
    tmp_path,
):
    run = run_checker(tmp_path / "nowhere", tmp_path / "report")
    assert "does not exist" in _one_line_error(run)
    assert not (tmp_path / "report").exists()  # a typo is not a project to report on
    assert "Reports:" not in run.stdout


def test_an_exit_2_line_wraps_on_a_terminal_under_its_first_words(tmp_path):
    missing = tmp_path / "a-folder-that-is-not-there"
    run = run_checker(missing, tmp_path / "r", env={"COLUMNS": "60"})
    assert run.exit_code == 2
    lines = run.stderr.rstrip("\n").split("\n")
    assert len(lines) > 1 and lines[0].startswith("roadmap-check: could not check")
    hang = " " * len("roadmap-check: ")
    for line in lines[1:]:  # under its first words; only a path too long has a line alone
        assert line.startswith(hang) and line[len(hang)] != " ", run.stderr
        assert len(line) <= 60 or " " not in line.strip(), run.stderr


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
    ("stage", "says"), [("9", "does not exist"), ("0", "does not exist"), ("8", "does not exist")]
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


@pytest.mark.parametrize(
    ("old", "new", "names"),
    [
        ('name = "expense-tracker"', 'name = ["expense-tracker"]', None),
        ("[project]\n", 'project = "x"\n[project-x]\n', None),
        ("stage = 1", "stage = 1.5", "[tool.roadmap] stage"),
        ('type = "word"', "type = 3", "[tool.roadmap.fields.category] type"),
        ("required = true", 'required = "yes"', "required: must be true or false"),
        ("min = 0.01", "min = [0.01]", "min: must be a number"),
        ('invalid = { amount = "twelve" }', "invalid = { amount = { x = 1 } }", "invalid:"),
        ("[tool.roadmap.fields]", "fields = 3\n[tool.roadmap.fieldz]", "fields: must be a table"),
    ],
)
def test_a_manifest_value_of_the_wrong_type_anywhere_is_one_line_and_exit_2(
    reference_1, copy_of, tmp_path, old, new, names
):
    project = copy_of(reference_1)
    assert old in (project / "pyproject.toml").read_text()
    _set_manifest(project, old, new)
    run = run_checker(project, tmp_path / "report")
    if names is None:  # not the manifest's own keys: the project still checks
        assert run.exit_code in (0, 1), run.stdout + run.stderr
        assert "Traceback" not in run.stdout + run.stderr
        return
    assert names in _one_line_error(run)
    assert run.results["status"] == "error"


IGNORES_DATA_FILE = ("value = os.environ.get(DATA_ENV)", "value = None  # DATA_FILE is ignored")
DATA_HOME = 'base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"'


@pytest.mark.parametrize(
    ("keeps_data_in", "shown"),
    [
        (DATA_HOME, "~/.local/share/expense-tracker/expenses.json"),
        ('base = "/tmp"', "/tmp/expense-tracker/expenses.json"),
    ],
    ids=["home", "tmp"],
)
def test_a_program_that_ignores_its_data_variable_fails_that_check_and_no_other(
    reference_1, copy_of, tmp_path, keeps_data_in, shown
):
    project = copy_of(reference_1)
    storage = project / "src" / "expense_tracker" / "storage.py"
    source = storage.read_text()
    assert IGNORES_DATA_FILE[0] in source, "the reference moved its DATA_FILE line"
    assert DATA_HOME in source, "the reference moved its default data folder"
    storage.write_text(source.replace(*IGNORES_DATA_FILE).replace(DATA_HOME, keeps_data_in))
    run = run_checker(project, tmp_path / "report", "--jobs", "1")
    statuses = run.statuses()
    assert statuses["01-cli/uses-data-file"] == "fail"
    assert f"files written elsewhere instead: {shown}" in run.message("01-cli/uses-data-file")
    # One cause, one failure: every check has a HOME and a /tmp of its own, so no check
    # meets another's records there, and a check that starts from the run's records finds
    # them in its copy. (The project's own tests rightly fail too: one reads DATA_FILE.)
    failed = {i for i, s in statuses.items() if s != "pass"}
    assert failed == {"01-cli/uses-data-file", "01-cli/own-tests-pass"}, run.stdout
    assert "Next: fix 01-cli/uses-data-file" in run.stdout


def test_an_api_on_a_hard_coded_database_is_told_it_ignores_database_url(
    reference, copy_of, tmp_path
):
    from checks.course import mutants

    (hard_coded,) = [m for m in mutants.every_mutant() if "api-database-is-hard-coded" in m.name]
    project = copy_of(reference(3))
    hard_coded.apply(project)
    only = ["--only", "03-api/create-returns-201", "--only", "03-api/list-includes-record"]
    run = run_checker(project, tmp_path / "report", "--jobs", "1", *only)
    assert run.statuses()["03-api/list-includes-record"] == "fail", run.stdout
    message = run.message("03-api/list-includes-record")
    assert "records this check never added: does your program read DATABASE_URL?" in message


SLOW_TEST = """
import time


def test_waits_for_a_server_that_never_comes():
    time.sleep(60)
"""


def test_a_learner_test_suite_past_its_deadline_is_a_timeout_not_a_failing_suite(
    reference_1, copy_of, tmp_path
):
    project = copy_of(reference_1)
    (project / "tests" / "test_slow.py").write_text(SLOW_TEST)
    only = ["--only", "01-cli/own-tests-pass", "--tests-timeout", "3"]
    began = time.monotonic()
    run = run_checker(project, tmp_path / "report", *only)
    assert time.monotonic() - began < 40
    message = run.message("01-cli/own-tests-pass")
    assert "your tests were still running after 3 s, so they were stopped" in message
    assert "do not pass" not in message


ESCAPES_CLI = """
import sys


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    if "--help" in args:
        print("usage: expense-tracker [-h] {add,list,show,delete,summary}")
        return 0
    sys.stdout.buffer.write(b"\\x1b[31mred\\x00\\x07 \\xff\\xfe not utf-8 ]]> </failure>")
    return 1
"""


def test_control_characters_and_invalid_utf8_leave_every_report_readable(
    reference_1, copy_of, tmp_path
):
    project = copy_of(reference_1)
    (project / "src" / "expense_tracker" / "cli.py").write_text(ESCAPES_CLI)
    run = run_checker(project, tmp_path / "report", "--only", "01-cli/list-json")
    assert run.statuses() == {"01-cli/list-json": "fail"}
    assert "\x1b" not in run.stdout and "\x00" not in run.stdout
    import xml.etree.ElementTree as ET

    suite = ET.parse(tmp_path / "report" / "junit.xml").getroot()
    failure = suite.find(".//failure")
    assert failure is not None and "not utf-8 ]]> </failure>" in (failure.text or "")
    assert "\x1b" not in (tmp_path / "report" / "report.md").read_text()


def test_a_module_left_out_of_the_built_package_is_diagnosed_as_packaging(
    reference_1, copy_of, tmp_path
):
    project = copy_of(reference_1)
    with (project / "pyproject.toml").open("a") as pyproject:
        pyproject.write('\n[tool.uv.build-backend]\nwheel-exclude = ["output.py"]\n')
    only = ["--only", "01-cli/help", "--only", "01-cli/list-json"]
    run = run_checker(project, tmp_path / "report", *only)
    assert run.statuses() == {"01-cli/help": "fail", "01-cli/list-json": "blocked"}
    message = run.message("01-cli/help")
    assert "cannot import expense_tracker.output: it is in your source folder but not" in message
    assert "unzip -l dist/*.whl" in message


def test_a_python_the_machine_does_not_have_is_one_line_and_exit_2(reference_1, copy_of, tmp_path):
    project = copy_of(reference_1)
    _set_manifest(project, 'requires-python = ">=3.11"', 'requires-python = ">=3.99"')
    line = _one_line_error(run_checker(project, tmp_path / "report"))
    assert "your project needs Python >=3.99 (requires-python in pyproject.toml)" in line


def test_a_setup_py_that_needs_a_python_the_machine_lacks_is_one_line_and_exit_2(
    reference_1, copy_of, tmp_path
):
    project = copy_of(reference_1)
    _set_manifest(project, 'requires-python = ">=3.11"\n', "")
    (project / "setup.py").write_text(
        'from setuptools import setup\n\nsetup(name="expense-tracker", python_requires=">=3.99")\n'
    )
    line = _one_line_error(run_checker(project, tmp_path / "report"))
    assert "your project needs Python >=3.99 (python_requires in setup.py)" in line
    assert "widen python_requires" in line


def test_a_run_past_its_deadline_ends_in_one_line_and_leaves_nothing(
    reference_1, copy_of, tmp_path
):
    project = copy_of(reference_1)
    marker = f"roadmap-deadline-{os.getpid()}-{time.monotonic_ns()}"
    waits = f"""
import subprocess, sys, time


def test_waits_on_a_helper_of_its_own():
    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "{marker}"])
    time.sleep(60)
"""
    (project / "tests" / "test_slow.py").write_text(waits)
    began = time.monotonic()
    only = ["--only", "01-cli/own-tests-pass", "--tests-timeout", "60", "--deadline", "6"]
    run = run_checker(project, tmp_path / "report", *only)
    # the deadline, and the stopping and reporting after it on a busy machine: far from the
    # 60 s its test would have waited
    assert time.monotonic() - began < 6 + 25
    assert "did not finish within --deadline 6 s" in _one_line_error(run)
    assert run.results["status"] == "error"
    assert processes_with(marker) == []
