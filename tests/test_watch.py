"""`--watch`: a change to the learner's files runs the checks again; Ctrl-C leaves nothing."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from checks import watch
from checks.harness import containment
from tests.conftest import TERMINAL_SETTINGS, processes_with

WITHIN = 180  # seconds any one awaited step may take: a bound, not a speed claim


def a_project(folder: Path) -> Path:
    for path in (
        "pyproject.toml",
        "src/pkg/cli.py",
        ".git/index",
        ".venv/lib/site.py",
        "src/pkg/__pycache__/cli.cpython-311.pyc",
        "src/pkg.egg-info/PKG-INFO",
        ".pytest_cache/v/lastfailed",
        "reports/results.json",
    ):
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text("x")
    return folder


def test_only_the_learners_own_files_are_watched(tmp_path):
    project = a_project(tmp_path)
    before = watch.snapshot(project, ignore=[project / "reports"])
    assert sorted(before) == ["pyproject.toml", "src/pkg/cli.py"]
    for noise in (".git/index", ".venv/lib/site.py", "reports/results.json", "data.db"):
        (project / noise).write_text("changed")
    for swap in ("src/pkg/.cli.py.swp", "src/pkg/cli.py~", "src/pkg/.#cli.py", "src/pkg/4913"):
        (project / swap).write_text("editor")
    assert watch.snapshot(project, ignore=[project / "reports"]) == before


def test_a_change_is_named_once_every_file_of_it_is_written(tmp_path, monkeypatch):
    monkeypatch.setattr(watch, "POLL", 0.05)
    monkeypatch.setattr(watch, "QUIET", 0.3)
    project = a_project(tmp_path)
    before = watch.snapshot(project)

    def save_two_files():  # as an editor's "save all" or a git checkout does
        (project / "src/pkg/cli.py").write_text("print('new')")
        time.sleep(0.1)
        (project / "src/pkg/models.py").write_text("class Record: ...")

    writer = threading.Thread(target=save_two_files)
    writer.start()
    changed = watch.wait_for_change(project, before)
    writer.join()
    assert changed == ["src/pkg/cli.py", "src/pkg/models.py"]
    assert watch.describe(changed) == "src/pkg/cli.py and 1 other file"


def test_each_run_is_the_same_command_line_without_watch():
    argv = ["../p", "--watch", "--only", "01-cli/help", "--wat", "-v"]
    assert watch.without_watch(argv) == ["../p", "--only", "01-cli/help", "-v"]


WATCH_A_SLEEP = """
import sys
from pathlib import Path
from checks import watch
print("watching", flush=True)
sys.exit(watch.forever(["sleep", "60"], Path(sys.argv[1])))
"""


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_watching_with_128_plus_its_number(signum, code, tmp_path):
    watcher = subprocess.Popen(
        [sys.executable, "-c", WATCH_A_SLEEP, str(a_project(tmp_path))],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert watcher.stdout is not None and watcher.stdout.readline() == "watching\n"
        time.sleep(0.5)  # its first run (the sleep) under way
        watcher.send_signal(signum)
        out, err = watcher.communicate(timeout=30)
    finally:
        watcher.kill()
    assert watcher.returncode == code, out + err
    assert "Traceback" not in err


BROKEN = "raise SystemExit('broken on purpose')\n"


@pytest.mark.slow
def test_watch_checks_again_after_a_save_and_ctrl_c_leaves_no_process_and_no_file(
    reference_1, copy_of, tmp_path
):
    project = copy_of(reference_1)
    marker = f"watch-test-{os.getpid()}-{time.monotonic_ns()}"
    with (project / "README.md").open("a") as readme:
        readme.write(f"\n{marker}\n")  # to tell this run's workspaces from any other's
    cli = project / "src" / "expense_tracker" / "cli.py"
    source = cli.read_text()
    # where a run keeps its folders: open to the learner's user, as the defaults are
    shared = Path(tempfile.mkdtemp(prefix="roadmap-watch-test-"))
    shared.chmod(0o755)
    work, temp = shared / "work", shared / "tmp"
    work.mkdir()
    temp.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in TERMINAL_SETTINGS}
    env |= {"ROADMAP_WORK_DIR": str(work), "TMPDIR": str(temp)}
    output = tmp_path / "output.txt"
    argv = [sys.executable, "-m", "checks", str(project), "--report-dir", str(tmp_path / "r")]
    argv += ["--only", "01-cli/help", "--watch"]
    with output.open("w") as sink:
        watcher = subprocess.Popen(argv, stdout=sink, stderr=subprocess.STDOUT, env=env)

    def wait_for(words: str, times: int) -> str:
        deadline = time.monotonic() + WITHIN
        while time.monotonic() < deadline:
            text = output.read_text()
            if text.count(words) >= times:
                return text
            assert watcher.poll() is None, f"the watcher ended early:\n{text}"
            time.sleep(0.2)
        pytest.fail(f"{words!r} did not appear {times} times within {WITHIN} s:\n{text}")

    try:
        first = wait_for("Watching ", 1)
        assert "✓ 01-cli/help" in first, first
        cli.write_text(BROKEN + source)  # the learner saves a mistake
        second = wait_for("Watching ", 2).split("checking again")[1]
        assert "src/expense_tracker/cli.py changed" in wait_for("checking again", 1)
        assert "✗ 01-cli/help" in second, second
        assert "Stage 1: 0 of 1 required checks pass (-1 since your last run)." in second
        assert "Passed on your last run, failing now: 01-cli/help." in second
        cli.write_text(source)  # and the fix; Ctrl-C once that run has its workspace
        wait_for("checking again", 2)
        deadline = time.monotonic() + WITHIN
        while not _workspaces(marker, [work]) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _workspaces(marker, [work]), "the third run never made its workspace"
        watcher.send_signal(signal.SIGINT)
        watcher.wait(timeout=WITHIN)
    finally:
        if watcher.poll() is None:
            watcher.kill()
            watcher.wait()
    try:
        text = output.read_text()
        assert watcher.returncode == 130, text  # 128 + SIGINT, as a shell reads Ctrl-C
        assert text.rstrip().endswith("Stopped watching."), text
        assert "Traceback" not in text
        bases = [work, temp, containment.user_cache() / "work"]
        deadline = time.monotonic() + 10  # the run's watchdog may still be finishing
        while time.monotonic() < deadline and _left(project, marker, bases):
            time.sleep(0.2)
        assert _left(project, marker, bases) == []
        assert not list(temp.iterdir()), "the checker left its state folder"
    finally:
        shutil.rmtree(shared, ignore_errors=True)


def _left(project: Path, marker: str, bases: list[Path]) -> list[str]:
    """Live processes of the watcher's runs (the checker's command line names the project;
    the learner's programs run from the workspaces, in `bases`) and this project's
    workspaces left behind."""
    processes = processes_with(str(project)) + processes_with(str(bases[0]))
    return processes + _workspaces(marker, bases)


def _workspaces(marker: str, bases: list[Path]) -> list[str]:
    """The workspaces in `bases` that hold a copy of the project marked with `marker`."""
    return [
        str(folder)
        for base in bases
        for folder in (base.glob("roadmap-check-*") if base.is_dir() else [])
        if marker in _read(folder / "project" / "README.md")
    ]


def _read(path: Path) -> str:
    try:
        return path.read_text(errors="replace")
    except OSError:
        return ""
