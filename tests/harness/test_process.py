"""The process runner: deadlines, floods and process groups."""

import os
import sys
import time

from checks.harness import process
from checks.harness.failure import outcome
from tests.conftest import processes_with

PY = sys.executable


def test_a_program_that_finishes_reports_its_exit_code_and_output(tmp_path):
    code = "import sys; print('out'); print('err', file=sys.stderr); sys.exit(3)"
    result = process.run([PY, "-c", code], cwd=tmp_path, env=os.environ, timeout=10)
    assert (result.exit_code, result.stdout.strip(), result.stderr.strip()) == (3, "out", "err")
    assert not result.timed_out and not result.flooded


def test_a_hanging_program_is_stopped_at_its_deadline_with_its_children(tmp_path):
    marker = f"roadmap-hang-{os.getpid()}-{time.monotonic_ns()}"
    code = (
        "import subprocess, sys, time;"
        f"subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)', '{marker}']);"
        "time.sleep(600)"
    )
    result = process.run([PY, "-c", code], cwd=tmp_path, env=os.environ, timeout=1)
    assert result.timed_out and result.exit_code is None
    assert result.seconds < 10
    time.sleep(0.2)
    assert not processes_with(marker), "the grandchild outlived the deadline"


def test_a_flooding_program_is_stopped_and_its_output_kept_short(tmp_path):
    code = "import sys\nwhile True: sys.stdout.write('x' * 65536)"
    result = process.run(
        [PY, "-c", code], cwd=tmp_path, env=os.environ, timeout=30, flood_limit=2_000_000
    )
    assert result.flooded and result.exit_code is None
    assert len(result.stdout) < process.KEEP_HEAD + process.KEEP_TAIL + 200
    assert "bytes not shown" in result.stdout


def test_a_program_that_cannot_start_is_an_answer_not_a_crash(tmp_path):
    result = process.run([str(tmp_path / "missing")], cwd=tmp_path, env=os.environ, timeout=5)
    assert result.exit_code == 127
    assert "could not start" in result.stderr
    assert result.not_started == process.NotStarted(
        str(tmp_path / "missing"), "No such file or directory"
    )


def test_a_missing_program_run_contained_is_said_to_be_not_installed(tmp_path, contained):
    env = {"PATH": f"{tmp_path}:/usr/bin:/bin"}  # a project's venv, without alembic
    result = process.run(["alembic", "upgrade", "head"], cwd=tmp_path, env=env, timeout=10)

    assert result.exit_code == 127
    assert "setpriv: failed to execute alembic" in result.stderr  # the launcher's words
    assert result.not_started == process.NotStarted("alembic", "No such file or directory")
    described = outcome(result)
    assert described.startswith("`alembic` is not installed in your project")
    assert '`[project] dependencies` in pyproject.toml, e.g. "alembic"' in described
    assert "setpriv: failed to execute alembic" in described  # still shown, verbatim


def test_a_program_that_is_not_executable_run_contained_is_said_so(tmp_path, contained):
    script = tmp_path / "migrate.sh"
    script.write_text("#!/bin/sh\necho migrated\n")
    result = process.run(["./migrate.sh"], cwd=tmp_path, env=os.environ, timeout=10)

    assert result.exit_code == 126
    assert result.not_started == process.NotStarted("./migrate.sh", "Permission denied")
    assert outcome(result).startswith("`./migrate.sh` is not executable")


def test_a_program_that_ran_and_exited_127_is_described_as_it_is(tmp_path, contained):
    said = "my-script: line 3: alembic: command not found"  # a learner's script, not us
    code = f"import sys; print({said!r}, file=sys.stderr); sys.exit(127)"
    result = process.run([PY, "-c", code], cwd=tmp_path, env=os.environ, timeout=10)
    assert result.exit_code == 127 and "command not found" in result.stderr
    assert result.not_started is None
    assert outcome(result).startswith("exit code 127")


def test_a_child_that_keeps_the_pipe_open_does_not_hold_up_the_runner(tmp_path):
    marker = f"roadmap-daemon-{os.getpid()}-{time.monotonic_ns()}"
    code = (
        "import subprocess, sys;"
        f"subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)', '{marker}'])"
    )
    result = process.run([PY, "-c", code], cwd=tmp_path, env=os.environ, timeout=30)
    assert result.exit_code == 0 and result.seconds < 10
    time.sleep(0.2)
    assert not processes_with(marker)
