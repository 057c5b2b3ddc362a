"""Hostile learner projects, generated from a tiny template, and what a contained run leaves.

Every project carries a marker unique to its test: on the command line of every process it
starts and in the name of every file it writes, so whatever escapes the run can be found.
`run_contained` runs the checker on one and asserts all that containment promises at once,
naming every broken promise, so one failure shows the whole symptom.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import CheckerRun, processes_with, run_checker, snapshot
from tests.harness.test_manifest import GOOD

WORK = Path(os.environ.get("ROADMAP_WORK_DIR", "/var/lib/backend-roadmap/work"))
HOME = Path(os.path.expanduser("~"))  # the real one: /root when the checker runs as root
HOME_FOLDERS = ("", ".config", ".local/share", ".cache")  # where a program leaves dotfiles
TEMP_FOLDERS = (Path("/tmp"), Path("/var/tmp"), Path("/dev/shm"))
SETTLE = 2.0  # seconds a process that was being killed as the checker exited may take to go
SLACK = 40.0  # the run may take its program deadline plus this (start-up, install, reports,
# and a machine busy with the other test workers); still well under LIFETIME, so a run
# that waited for a hostile process to end by itself fails
LIFETIME = 120  # every hostile process ends by itself after this, contained or not
CHECKER_TRACEBACK = re.compile(r'File "[^"]*/checks/[^"]*\.py"')

MANIFEST = GOOD[GOOD.index("[tool.roadmap]") :]  # the stage-1 manifest the harness tests use

UV_BUILD = """
[build-system]
requires = ["uv_build>=0.13,<0.14"]
build-backend = "uv_build"
"""

SETUPTOOLS = """
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"
"""

PROJECT = """
[project]
name = "expense-tracker"
version = "0.1.0"
requires-python = ">=3.11"
dependencies = []

[project.scripts]
expense-tracker = "expense_tracker.cli:main"
"""

# The start of every hostile program: `python -c PRELUDE+BODY MARKER ARGS...`.
PRELUDE = r'''
import os, signal, subprocess, sys, time
MARKER, ARGS = sys.argv[1], sys.argv[2:]
LIFETIME = @LIFETIME@
os.environ["ROADMAP_HOSTILE_MARKER"] = MARKER  # in the environment of all it starts, too


def usage():
    print("usage: expense-tracker [-h] {add,list,show,delete,summary}", flush=True)


def settle():
    time.sleep(0.5)  # long enough for the test's watcher to see every process started


def start(code, **options):
    """Start `python -c code MARKER FD` and wait until it writes b"r" to FD (it is set up)."""
    read, write = os.pipe()
    argv = [sys.executable, "-c", code, MARKER, str(write)]
    subprocess.Popen(argv, pass_fds=(write,), **options)
    os.close(write)
    if os.read(read, 1) != b"r":
        sys.exit("hostile: the helper died before it was set up")


def write_everywhere(tag):
    """Leave a file named after the marker in every home and temporary folder in reach."""
    import pwd, tempfile
    homes = [os.path.expanduser("~"), os.path.expanduser("~root"), "/root"]
    try:
        homes.append(pwd.getpwuid(os.getuid()).pw_dir)  # the password database's home
    except KeyError:
        pass  # a user with no entry
    subs = ("", ".config", ".local/share", ".cache")
    folders = [home + "/" + sub for home in homes for sub in subs]
    folders += ["/tmp", "/var/tmp", "/dev/shm", tempfile.gettempdir()]
    written = []
    for folder in folders:
        try:
            os.makedirs(folder, exist_ok=True)
            path = os.path.join(folder, MARKER + "-" + tag)
            with open(path, "w") as file:
                file.write(MARKER)
            written.append(path)
        except OSError:
            pass
    print("hostile wrote:", *written, file=sys.stderr)
'''.replace("@LIFETIME@", str(LIFETIME))

# A child that leaves the process group and session, then sleeps.
SETSID = r"""
import os, sys, time
os.setsid()
os.write(int(sys.argv[2]), b"r")
time.sleep(@LIFETIME@)
""".replace("@LIFETIME@", str(LIFETIME))

# A classic daemon: fork, setsid, fork again, let go of the terminal's streams.
DAEMON = r"""
import os, sys, time
ready = int(sys.argv[2])
if os.fork():
    os._exit(0)
os.setsid()
if os.fork():
    os._exit(0)
os.chdir("/")
null = os.open(os.devnull, os.O_RDWR)
for fd in (0, 1, 2):
    os.dup2(null, fd)
os.write(ready, b"r")
os.close(ready)
time.sleep(@LIFETIME@)
""".replace("@LIFETIME@", str(LIFETIME))

CLI = '''"""A hostile learner program: the checker must contain whatever it does."""

import os
import sys

MARKER = {marker!r}
PAYLOAD = {payload!r}


def main() -> None:
    # Every process of this project carries the marker on its command line.
    os.execv(sys.executable, [sys.executable, "-c", PAYLOAD, MARKER, *sys.argv[1:]])
'''


@pytest.fixture
def marker() -> str:
    return f"roadmap-hostile-{uuid.uuid4().hex[:12]}"


@dataclass
class Hostile:
    """Writes hostile projects into one test's folder."""

    folder: Path
    marker: str

    def project(
        self,
        body: str = "usage()",
        *,
        pyproject: str | None = None,
        files: dict[str, str] | None = None,
        build: str = UV_BUILD,
    ) -> Path:
        """A stage-1 project whose command runs PRELUDE + `body` (with its arguments)."""
        project = self.folder / "expense-tracker"
        package = project / "src" / "expense_tracker"
        package.mkdir(parents=True)
        text = pyproject if pyproject is not None else build + PROJECT + MANIFEST
        (project / "pyproject.toml").write_text(text)
        (project / "README.md").write_text(f"A hostile project ({self.marker}).\n")
        (package / "__init__.py").write_text("")
        cli = CLI.format(marker=self.marker, payload=PRELUDE + body)
        (package / "cli.py").write_text(cli)
        for name, content in (files or {}).items():
            path = project / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content.replace("{MARKER}", self.marker))
        return project

    def check(self, project: Path, *args: str, within: float, started: int = 0) -> CheckerRun:
        """Run the checker on `project` and assert it was contained (`run_contained`)."""
        report = self.folder / "report"
        return run_contained(project, report, self.marker, *args, within=within, started=started)


@pytest.fixture
def hostile(tmp_path: Path, marker: str) -> Hostile:
    return Hostile(tmp_path, marker)


def marked_pids(marker: str) -> dict[int, str]:
    """Live processes (this one aside) with the marker on their command line or in their
    environment, by pid: what `tests.conftest.processes_with` finds, and the environment
    too, where a program that rewrites its own command line still shows."""
    needle, found = marker.encode(), {}
    for folder in Path("/proc").glob("[0-9]*"):
        if not folder.name.isdigit() or int(folder.name) == os.getpid():
            continue
        try:
            cmdline = (folder / "cmdline").read_bytes()
            environ = (folder / "environ").read_bytes()
        except OSError:
            continue  # gone while we looked
        if needle in cmdline or needle in environ:
            found[int(folder.name)] = cmdline.decode(errors="replace").replace("\0", " ")
    return found


def survivors(marker: str) -> list[str]:
    """The marked processes that are alive, as "pid: command line"."""
    listed = set(processes_with(marker))
    found = [f"{pid}: {text}" for pid, text in sorted(marked_pids(marker).items())]
    found += [f"?: {text}" for text in listed - set(marked_pids(marker).values())]
    return found


def wait_for_no_survivors(marker: str, within: float = SETTLE) -> list[str]:
    deadline = time.monotonic() + within
    left = survivors(marker)
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = survivors(marker)
    return left


def marked_files(marker: str) -> list[str]:
    """Files named after the marker in the real home and the real temporary folders."""
    places = [HOME / sub for sub in HOME_FOLDERS] + list(TEMP_FOLDERS)
    found = []
    for place in places:
        try:
            found += [str(path) for path in place.iterdir() if marker in path.name]
        except OSError:
            continue
    return sorted(found)


def workspaces(marker: str) -> set[str]:
    """The run's workspaces in WORK: those whose copy of the project names the marker in
    its README (other runs of the checker may share this machine)."""
    found = set()
    for folder in WORK.iterdir() if WORK.is_dir() else ():
        with contextlib.suppress(OSError):
            if marker in (folder / "project" / "README.md").read_text(errors="replace"):
                found.add(folder.name)
    return found


@contextlib.contextmanager
def checker_tmpdir(folder: Path) -> Iterator[Path]:
    """Give the checker started inside a temporary folder of its own (TMPDIR), so the
    state folder it keeps there is this run's, whatever else runs on the machine."""
    folder.mkdir(exist_ok=True)
    before = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = str(folder)
    try:
        yield folder
    finally:
        if before is None:
            del os.environ["TMPDIR"]
        else:
            os.environ["TMPDIR"] = before


def left_in(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir()) if folder.is_dir() else []


def report_problems(run: CheckerRun) -> list[str]:
    """What is wrong with the checker's own answer: a crash, or reports that do not parse."""
    problems = []
    if "Traceback (most recent call last)" in run.stderr or "INTERNALERROR" in run.stderr:
        problems.append(f"the checker crashed; stderr:\n{run.stderr[-3000:]}")
    if CHECKER_TRACEBACK.search(run.stdout) or "INTERNALERROR" in run.stdout:
        problems.append(f"the report shows the checker's own traceback:\n{run.stdout[-3000:]}")
    if run.exit_code == 2:
        lines = run.stderr.strip().splitlines()
        if len(lines) != 1 or not lines[0].startswith("roadmap-check: could not check"):
            problems.append(f"exit 2 without a one-line reason; stderr:\n{run.stderr[-3000:]}")
    elif run.exit_code not in (0, 1):
        problems.append(f"exit code {run.exit_code}; stderr:\n{run.stderr[-3000:]}")
    try:
        results = run.results
    except (OSError, ValueError) as error:
        problems.append(f"results.json does not parse: {error}")
    else:
        if run.exit_code != 2 and not results.get("tests"):
            problems.append("results.json holds no check")
        errors = [t["id"] for t in results.get("tests", []) if t.get("status") == "error"]
        if errors:
            problems.append(f"checks ended in the checker's own error: {errors}")
    try:
        ET.parse(run.report_dir / "junit.xml")
    except (OSError, ET.ParseError) as error:
        problems.append(f"junit.xml does not parse: {error}")
    return problems


class Watch:
    """Notes, while the checker runs, every marked process that lives: the proof that the
    hostile program really did what it tries (a daemon that never started proves nothing)."""

    def __init__(self, marker: str) -> None:
        self.marker, self.seen, self.workspaces = marker, set[int](), set[str]()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._look, daemon=True)

    def __enter__(self) -> Watch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _look(self) -> None:
        while not self._stop.wait(0.05):
            self.seen |= set(marked_pids(self.marker))
            self.workspaces |= workspaces(self.marker)


def run_contained(
    project: Path,
    report_dir: Path,
    marker: str,
    *args: str,
    within: float,
    started: int = 0,
) -> CheckerRun:
    """Run the checker on a hostile project and assert that it was contained:

    at least `started` marked processes were seen while it ran (the hostile part did run);
    it ends within `within` seconds with a one-line reason or check results (never a
    traceback of its own); both reports parse; no process with the marker survives; the
    learner's repository is byte-identical; no file with the marker is left in the real
    home or the temporary folders, nor a workspace or state folder of the run."""
    repository = snapshot(project)
    began = time.monotonic()
    with Watch(marker) as watch, checker_tmpdir(report_dir.parent / "checker-tmp") as tmp:
        run = run_checker(project, report_dir, *args)
    seconds = time.monotonic() - began
    at_exit = survivors(marker)
    problems = report_problems(run)
    if seconds > within:
        problems.append(f"the run took {seconds:.1f} s, more than {within:.0f} s")
    if len(watch.seen) < started:
        problems.append(f"only {len(watch.seen)} of {started} marked processes ever started")
    left = wait_for_no_survivors(marker)
    if left:
        problems.append(f"{len(left)} marked processes outlived the run: {left}")
    elif at_exit:
        problems.append(f"marked processes were still dying when the checker exited: {at_exit}")
    if snapshot(project) != repository:
        problems.append("the learner's repository changed")
    files = marked_files(marker)
    if files:
        problems.append(f"files with the marker were left outside the workspace: {files}")
    if run.exit_code != 2 and not watch.workspaces:  # else "none left" would prove nothing
        problems.append(f"no workspace of this run was ever seen in {WORK}")
    if workspaces(marker):
        problems.append(f"workspaces left in {WORK}: {sorted(workspaces(marker))}")
    if left_in(tmp):
        problems.append(f"left in the checker's TMPDIR: {left_in(tmp)}")
    assert not problems, "\n".join(problems) + f"\n--- checker stdout ---\n{run.stdout[-4000:]}"
    return run
