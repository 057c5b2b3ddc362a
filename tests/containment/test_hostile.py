"""A hostile corpus: learner projects that try to escape, outlive or flood the checker.

Each project is generated from a tiny template (tests/containment/conftest.py) and marks
every process it starts and every file it writes, so whatever escapes can be found;
`run_contained` asserts the run's promises: on time, one-line reason or failed checks,
nothing left running, the repository untouched, nothing written to the real home or /tmp.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from subprocess import PIPE

import pytest

from tests.conftest import CheckerRun, snapshot
from tests.containment.conftest import (
    DAEMON,
    LIFETIME,
    MANIFEST,
    PROJECT,
    SETSID,
    SETTLE,
    SETUPTOOLS,
    SLACK,
    UV_BUILD,
    WORK,
    Hostile,
    checker_tmpdir,
    left_in,
    marked_files,
    marked_pids,
    report_problems,
    survivors,
    wait_for_no_survivors,
    workspaces,
)

pytestmark = pytest.mark.slow

HELP = "01-cli/help"
TIMEOUT = 2.0


def _help(run: CheckerRun) -> str:
    return run.statuses()[HELP]


def _run_help(
    hostile: Hostile, project: Path, *, timeout: float = TIMEOUT, started: int = 0
) -> CheckerRun:
    args = ("--only", HELP, "--timeout", str(timeout))
    return hostile.check(project, *args, within=timeout + SLACK, started=started)


# Processes that leave ------------------------------------------------------------------


def test_a_child_that_calls_setsid_and_sleeps_dies_with_the_run(hostile: Hostile) -> None:
    project = hostile.project(f"start({SETSID!r})\nsettle()\nusage()")

    run = _run_help(hostile, project, started=2)

    assert _help(run) == "pass", run.stdout  # the child was set up before the usage


def test_a_classic_double_fork_daemon_dies_with_the_run(hostile: Hostile) -> None:
    project = hostile.project(f"start({DAEMON!r})\nsettle()\nusage()")

    run = _run_help(hostile, project, started=2)

    assert _help(run) == "pass", run.stdout


def test_fifty_forked_children_die_with_the_run(hostile: Hostile) -> None:
    body = """
read, write = os.pipe()
for _ in range(50):
    if os.fork() == 0:
        os.close(read)
        os.write(write, b"r")
        time.sleep(LIFETIME)
        os._exit(0)
os.close(write)
ready = b""
while len(ready) < 50:
    chunk = os.read(read, 50)
    if not chunk:
        sys.exit(f"hostile: only {len(ready)} of 50 forks started")
    ready += chunk
settle()
usage()
"""
    run = _run_help(hostile, hostile.project(body), started=51)

    assert _help(run) == "pass", run.stdout


def test_a_program_that_ignores_sigterm_is_stopped_at_its_deadline(hostile: Hostile) -> None:
    ignore = "for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):\n"
    ignore += "    signal.signal(sig, signal.SIG_IGN)\n"
    child = "import signal, os, sys, time\n" + ignore + 'os.write(int(sys.argv[2]), b"r")\n'
    child += f"time.sleep({LIFETIME})\n"
    body = ignore + f"start({child!r})\ntime.sleep(LIFETIME)\n"

    run = _run_help(hostile, hostile.project(body), started=2)

    assert _help(run) == "fail"
    assert "still running after" in run.message(HELP)


def test_a_program_that_hangs_fails_as_a_timeout(hostile: Hostile) -> None:
    run = _run_help(hostile, hostile.project("time.sleep(LIFETIME)"), started=1)

    assert _help(run) == "fail"
    assert "still running after" in run.message(HELP), run.message(HELP)


# Limits ---------------------------------------------------------------------------------


def test_a_memory_hog_is_stopped_for_its_memory_not_as_a_timeout(hostile: Hostile) -> None:
    body = "hog = [b'x' * (64 << 20) for _ in range(48)]  # 3 GiB, every page touched\nusage()"

    run = _run_help(hostile, hostile.project(body), timeout=15, started=1)

    message = run.message(HELP)
    assert _help(run) == "fail"
    assert "used more than" in message and "MiB" in message, message
    assert "timed out" not in message and "still running" not in message, message


def test_a_stdout_flood_is_cut_short(hostile: Hostile) -> None:
    body = "end = time.monotonic() + LIFETIME\nwhile time.monotonic() < end:\n"
    body += "    sys.stdout.write('x' * 65536)\n"

    run = _run_help(hostile, hostile.project(body), timeout=10)

    assert _help(run) == "fail"
    assert "printed more than 10 MB" in run.message(HELP), run.message(HELP)
    assert len(run.stdout) < 200_000, f"the terminal report is {len(run.stdout)} characters"


def test_a_stderr_flood_is_cut_short(hostile: Hostile) -> None:
    body = "end = time.monotonic() + LIFETIME\nwhile time.monotonic() < end:\n"
    body += "    sys.stderr.write('y' * 65536)\n"

    run = _run_help(hostile, hostile.project(body), timeout=10)

    assert _help(run) == "fail"
    assert "printed more than 10 MB" in run.message(HELP), run.message(HELP)
    assert len(run.stdout) < 200_000, f"the terminal report is {len(run.stdout)} characters"


def test_invalid_utf8_and_control_characters_keep_the_reports_readable(
    hostile: Hostile,
) -> None:
    garbage = b"usage: \xff\xfe\xc3\x28 \x1b[31mred\x1b[0m \x00\x07\x08\r"
    garbage += b"\x1b]0;title\x07 \xed\xa0\x80 \x9b2J"
    body = f"sys.stdout.buffer.write({garbage!r} + b'\\n')\n"
    body += "sys.stderr.buffer.write(b'\\x1b[2J\\x1b[H\\xff\\x00 bad \\x0c\\x0b\\n')\nsys.exit(2)"

    run = _run_help(hostile, hostile.project(body))

    assert _help(run) == "fail"
    assert "\x00" not in run.stdout and "\x1b" not in run.stdout, repr(run.stdout[-2000:])


# Writes -----------------------------------------------------------------------------------


def test_writes_to_the_password_databases_home_and_tmp_stay_in_the_workspace(
    hostile: Hostile,
) -> None:
    run = _run_help(hostile, hostile.project("write_everywhere('runtime')\nusage()"))

    assert _help(run) == "pass", run.stdout


SETUP_PY = f'''
"""Install-time code: writes to $HOME and /tmp, and leaves a daemon behind."""
import os, subprocess, sys, time
from setuptools import setup

MARKER = "{{MARKER}}"
PRELUDE_ARGS = [sys.executable, "-c"]
for folder in (os.path.expanduser("~"), os.path.expanduser("~root"), "/root", "/tmp", "/var/tmp"):
    try:
        with open(os.path.join(folder, MARKER + "-setup"), "w") as file:
            file.write(MARKER)
    except OSError:
        pass
read, write = os.pipe()
subprocess.Popen([sys.executable, "-c", {DAEMON!r}, MARKER, str(write)], pass_fds=(write,))
os.close(write)
assert os.read(read, 1) == b"r", "the install-time daemon did not start"
time.sleep(0.5)  # long enough for the test's watcher to see the daemon alive
setup()
'''


def test_install_time_code_writes_nowhere_outside_and_leaves_no_daemon(
    hostile: Hostile,
) -> None:
    project = hostile.project(
        "write_everywhere('runtime')\nusage()",
        build=SETUPTOOLS,
        files={"setup.py": SETUP_PY},
    )
    args = ("--only", "01-cli/installs", "--only", HELP, "--timeout", str(TIMEOUT))
    # A setuptools build may fetch setuptools: the install has a deadline of its own.
    run = hostile.check(project, *args, within=90, started=1)

    assert run.statuses() == {"01-cli/installs": "pass", HELP: "pass"}, run.stdout


# Planted by a learner program where its PATH looks first (the venv's bin, which it may
# write to): whatever looks `mount` up on that PATH as root would run it as root.
PLANTED_MOUNT = """#!/bin/sh
for folder in "$HOME" /root /tmp /var/tmp; do
    echo planted > "$folder/MARKER-planted-mount" 2>/dev/null
done
exec /usr/bin/mount "$@"
"""


def test_a_mount_planted_on_the_learners_path_never_runs_as_root(hostile: Hostile) -> None:
    body = f"""
planted = os.path.join(os.environ["VIRTUAL_ENV"], "bin", "mount")
with open(planted, "w") as script:
    script.write({PLANTED_MOUNT!r}.replace("MARKER", MARKER))
os.chmod(planted, 0o755)
usage()
"""
    # Several starts after the first one planted it: the help, the seed's, list-json's.
    checks = ("--only", HELP, "--only", "01-cli/list-json", "--jobs", "1")

    run = hostile.check(
        hostile.project(body), *checks, "--timeout", str(TIMEOUT), within=3 * TIMEOUT + SLACK
    )

    assert _help(run) == "pass", run.stdout  # planted, and nothing outside (asserted)


HIJACKED = (
    UV_BUILD
    + PROJECT.replace("expense-tracker = ", "hijacked = ")
    + MANIFEST.replace("stage = 1", "stage = 3")
)


def test_writes_into_its_own_copy_never_change_the_verdict(hostile: Hostile) -> None:
    # The command rewrites the copy's pyproject.toml and adds the modules whose absence
    # the code-organization check reports; the verdict must stay the one of its source.
    body = f"""
from pathlib import Path
copy = Path.cwd()
(copy / "pyproject.toml").write_text({HIJACKED!r})
for name in ("models", "storage", "summary"):
    (copy / "src" / "expense_tracker" / (name + ".py")).write_text("# " + MARKER + "\\n")
usage()
"""
    checks = ("--only", HELP, "--only", "01-cli/code-organization", "--jobs", "1")
    args = (*checks, "--timeout", str(TIMEOUT))
    twin = Hostile(hostile.folder / "quiet-twin", hostile.marker)
    twin.folder.mkdir()
    quiet = twin.check(twin.project("usage()"), *args, within=TIMEOUT + SLACK)

    run = hostile.check(hostile.project(body), *args, within=TIMEOUT + SLACK)

    verdict = {i: (run.statuses()[i], run.message(i)) for i in run.statuses()}
    assert verdict == {i: (quiet.statuses()[i], quiet.message(i)) for i in quiet.statuses()}, (
        run.stdout
    )


# The learner's own tests ------------------------------------------------------------------

PASSING = "\n".join(f"def test_{n}():\n    assert {n} == {n}\n" for n in range(5))


def test_a_learner_test_that_spawns_a_daemon_leaves_nothing_running(hostile: Hostile) -> None:
    suite = f"""
import os, subprocess, sys, time

MARKER = "{{MARKER}}"


def test_a_daemon_starts():
    read, write = os.pipe()
    subprocess.Popen([sys.executable, "-c", {DAEMON!r}, MARKER, str(write)], pass_fds=(write,))
    os.close(write)
    assert os.read(read, 1) == b"r"
    time.sleep(0.5)  # long enough for the test's watcher to see the daemon alive


{PASSING}"""
    project = hostile.project(files={"tests/test_daemon.py": suite})
    args = ("--only", "01-cli/own-tests-pass", "--tests-timeout", "20")

    run = hostile.check(project, *args, within=20 + SLACK, started=1)

    assert run.statuses()["01-cli/own-tests-pass"] == "pass", run.stdout


def test_a_learner_test_finds_its_user_and_home_without_home_and_cannot_change_them(
    hostile: Hostile,
) -> None:
    # A suite that starts the command with a minimal environment (no HOME): the user's
    # name and home come from the password database, which must know the learner's user.
    user = "learner" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
    suite = f"""
import os, subprocess, sys
from pathlib import Path

MARKER = "{{MARKER}}"
LOOK_UP = (
    "import getpass, os, pathlib, pwd;"
    "print(pathlib.Path.home(), getpass.getuser(), pwd.getpwuid(os.getuid()).pw_name)"
)


def test_the_user_has_a_name_and_a_home_it_may_write_to():
    minimal = {{"PATH": os.environ["PATH"]}}
    done = subprocess.run([sys.executable, "-c", LOOK_UP], env=minimal, capture_output=True)
    assert done.returncode == 0, done.stderr.decode()
    home, user, name = done.stdout.decode().split()
    assert user == name == {user!r}
    (Path(home) / (MARKER + "-home")).write_text(MARKER)  # the real home would show it


def test_the_password_database_is_read_only():
    for path in ("/etc/passwd", "/etc/group"):
        try:
            with open(path, "a") as database:
                database.write(MARKER + ":x:0:0::/:/bin/sh\\n")
        except PermissionError:
            continue
        raise AssertionError(path + " is writable")


{PASSING}"""
    databases = {path: path.read_bytes() for path in map(Path, ("/etc/passwd", "/etc/group"))}
    project = hostile.project(files={"tests/test_user.py": suite})
    args = ("--only", "01-cli/own-tests-pass", "--tests-timeout", "20")

    run = hostile.check(project, *args, within=20 + SLACK)

    assert run.statuses()["01-cli/own-tests-pass"] == "pass", run.stdout
    assert {path: path.read_bytes() for path in databases} == databases


def test_a_learner_test_cannot_write_into_the_shared_dependency_cache(hostile: Hostile) -> None:
    # Its venv is hard links to a cache entry that later runs reuse (venv_cache.py): a
    # write through a link would poison every later run with the same dependencies.
    suite = f"""
import pathlib, _pytest

MARKER = "{{MARKER}}"


def test_tries_to_poison_pytest():
    module = pathlib.Path(_pytest.__file__)
    try:
        with open(module, "a") as poisoned:
            poisoned.write("# " + MARKER + "\\n")
    except OSError:
        pass
    for sibling in module.parent.iterdir():
        try:
            (sibling.parent / ("planted-" + MARKER)).write_text(MARKER)
        except OSError:
            pass
        break


{PASSING}"""
    project = hostile.project(files={"tests/test_poison.py": suite})
    args = ("--only", "01-cli/own-tests-pass", "--tests-timeout", "20")

    run = hostile.check(project, *args, within=20 + SLACK)

    assert run.statuses()["01-cli/own-tests-pass"] == "pass", run.stdout
    entries = [WORK.parent / "venvs", Path.home() / ".cache" / "backend-roadmap" / "venvs"]
    modules = [m for e in entries for m in e.glob("*/lib/python*/site-packages/_pytest/*.py")]
    assert modules, "the run left no cache entry to reuse"
    poisoned = [str(m) for m in modules if hostile.marker in m.read_text(errors="replace")]
    planted = [
        str(p)
        for e in entries
        for p in e.glob(f"*/lib/python*/site-packages/*/planted-{hostile.marker}")
    ]
    assert (poisoned, planted) == ([], [])


def test_a_learner_test_that_hangs_is_stopped_at_the_tests_timeout(hostile: Hostile) -> None:
    suite = f"""
import subprocess, sys

MARKER = "{{MARKER}}"


def test_waits_forever():
    subprocess.run([sys.executable, "-c", "import time; time.sleep({LIFETIME})", MARKER])


{PASSING}"""
    project = hostile.project(files={"tests/test_hang.py": suite})
    args = ("--only", "01-cli/own-tests-pass", "--tests-timeout", "3")

    # pytest is installed before the suite starts: allow for that beside the deadline.
    run = hostile.check(project, *args, within=3 + SLACK, started=1)

    message = run.message("01-cli/own-tests-pass")
    assert run.statuses()["01-cli/own-tests-pass"] == "fail"
    assert "still running after 3 s" in message, message


# The manifest -----------------------------------------------------------------------------


def _mutated(*changes: tuple[str, str]) -> str:
    """The template's pyproject.toml with each (old, new) replaced once."""
    text = UV_BUILD + PROJECT + MANIFEST
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


WRONG_TYPES = {
    "stage is a string": _mutated(("stage = 1", 'stage = "one"')),
    "domain is a boolean": _mutated(('domain = "expenses"', "domain = true")),
    "fields is a list": _mutated(
        ("[tool.roadmap.fields]\n", 'fields = ["amount"]\n[tool.roadmap.unused]\n')
    ),
    "a field is a number": _mutated(('note = { type = "text", required = false }', "note = 5")),
    "a type is a number": _mutated(('type = "word"', "type = 5")),
    "min is a string": _mutated(("min = 0.01", 'min = "zero"')),
    "required is a string": _mutated(("required = true, min", 'required = "yes", min')),
    "cli is a number": _mutated(
        ('record = "expense"\n', 'record = "expense"\ncli = 3\n'),
        ("[tool.roadmap.cli]\n", "[tool.roadmap.unused]\n"),
    ),
    "a command is a string": _mutated(('list = ["list", "--json"]', 'list = "list --json"')),
    "a command holds numbers": _mutated(('list = ["list", "--json"]', "list = [1, 2]")),
    "summary field is a table": _mutated(('field = "amount"', "field = { name = 'amount' }")),
    "samples.invalid is a string": _mutated(
        ('invalid = { amount = "twelve" }', 'invalid = "twelve"')
    ),
    "tool.roadmap is a string": UV_BUILD + PROJECT + '\n[tool]\nroadmap = "stage 1"\n',
}


@pytest.mark.parametrize("pyproject", WRONG_TYPES.values(), ids=list(WRONG_TYPES))
def test_a_manifest_with_wrong_types_is_a_one_line_reason(hostile: Hostile, pyproject: str) -> None:
    project = hostile.project(pyproject=pyproject)

    run = hostile.check(project, "--timeout", "2", within=30)

    assert run.exit_code == 2, run.stdout  # could not check: said in one line (asserted)


def test_a_project_section_with_wrong_types_is_a_one_line_reason_or_a_failed_check(
    hostile: Hostile,
) -> None:
    broken = UV_BUILD + PROJECT.replace('requires-python = ">=3.11"', "requires-python = 3.11")
    broken = broken.replace("dependencies = []", 'dependencies = "none"') + MANIFEST
    project = hostile.project(pyproject=broken)

    hostile.check(project, "--only", HELP, within=2 + SLACK)


# A forking server (stage 3) ---------------------------------------------------------------

HOLD_THE_PORT = '''

def _hold_the_port() -> None:
    """Hostile: once the server listens, a helper in a session of its own holds every
    listening socket, so the port outlives the server unless the checker contains it."""
    import socket
    import subprocess
    import sys
    import threading
    import time

    def helper() -> None:
        for _ in range(400):
            listening = []
            for name in os.listdir("/proc/self/fd"):
                try:
                    with socket.socket(fileno=os.dup(int(name))) as sock:
                        if sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN):
                            listening.append(int(name))
                except OSError:
                    continue
            if listening:
                argv = [sys.executable, "-c", "import time; time.sleep(@LIFETIME@)", "{MARKER}"]
                subprocess.Popen(argv, pass_fds=listening, start_new_session=True)
                return
            time.sleep(0.02)

    threading.Thread(target=helper, daemon=True).start()
'''.replace("@LIFETIME@", str(LIFETIME))


def test_a_server_that_forks_a_helper_holding_its_port_restarts_cleanly(
    hostile: Hostile, reference: Callable[[int], Path]
) -> None:
    project = hostile.folder / "expense-tracker"
    shutil.copytree(reference(3), project, symlinks=True)
    main = project / "src" / "expense_tracker" / "api" / "main.py"
    source = main.read_text()
    start_up = "        yield\n"
    assert source.count(start_up) == 1
    source = source.replace(start_up, "        _hold_the_port()\n" + start_up)
    source = "import os\n" + source + HOLD_THE_PORT.replace("{MARKER}", hostile.marker)
    main.write_text(source)
    readme = project / "README.md"  # names the marker, as every hostile project's does
    readme.write_text(readme.read_text() + f"\n{hostile.marker}\n")
    args = ("--only", "03-api/survives-restart", "--timeout", "5")

    # Stage 3 installs FastAPI, SQLAlchemy and uvicorn: allow for that beside the deadline.
    run = hostile.check(project, *args, within=60, started=1)

    status = run.statuses()["03-api/survives-restart"]
    message = run.message("03-api/survives-restart")
    assert "address already in use" not in run.stdout.lower(), run.stdout
    assert status == "pass", run.stdout + message


# The checker killed -----------------------------------------------------------------------


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_a_checker_killed_mid_run_leaves_no_process_and_no_workspace(
    hostile: Hostile, stop: signal.Signals
) -> None:
    # SIGKILL: no `finally` runs, the watchdog and PR_SET_PDEATHSIG must clean up.
    # SIGTERM (a CI job's timeout): the checker stops itself and takes its programs along.
    project = hostile.project(f"start({SETSID!r})\nstart({DAEMON!r})\ntime.sleep(LIFETIME)")
    repository = snapshot(project)
    report = hostile.folder / "report"
    argv = [sys.executable, "-m", "checks", str(project), "--report-dir", str(report)]
    argv += ["--only", HELP, "--timeout", "25"]
    with checker_tmpdir(hostile.folder / "checker-tmp") as tmp:
        checker = subprocess.Popen(argv, stdout=PIPE, stderr=PIPE, text=True)
    try:
        # The command, its setsid child and its daemon, once the install is done: waited
        # for while the checker runs (its own limits bound it), within a bound of our own.
        deadline = time.monotonic() + 240
        while len(survivors(hostile.marker)) < 3 and time.monotonic() < deadline:
            if checker.poll() is not None:
                break
            time.sleep(0.1)
        started = survivors(hostile.marker)
        workspace = sorted(workspaces(hostile.marker))
        ended = checker.poll()
        assert len(started) >= 3, f"the hostile program never started: {started} ({ended=})"
        assert workspace, f"no workspace appeared in {WORK}"
    finally:
        os.kill(checker.pid, stop)
        try:
            out, err = checker.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            checker.kill()
            out, err = checker.communicate()
            pytest.fail(f"the checker did not end within 10 s of {stop.name}")

    left = wait_for_no_survivors(hostile.marker, within=10)
    gone = time.monotonic() + 10
    while (workspaces(hostile.marker) or left_in(tmp)) and time.monotonic() < gone:
        time.sleep(0.1)
    assert not left, f"marked processes outlived the checker's {stop.name}: {left}"
    assert not workspaces(hostile.marker), f"workspace left: {workspace}"
    assert not left_in(tmp), f"left in the checker's TMPDIR: {left_in(tmp)}"
    assert not _run_cgroups(checker.pid), f"cgroups left: {_run_cgroups(checker.pid)}"
    assert snapshot(project) == repository
    assert not marked_files(hostile.marker)
    if stop == signal.SIGTERM:
        assert checker.returncode == 128 + signal.SIGTERM, (checker.returncode, out, err)
        assert err.strip() == "roadmap-check: interrupted", err


def _run_cgroups(pid: int) -> list[str]:
    """The cgroups the checker with `pid` made for its run (roadmap-<pid>-<hex>)."""
    found = []
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        mount = controllers.replace("name=", "") or "unified"
        for root in (Path("/sys/fs/cgroup") / mount, Path("/sys/fs/cgroup")):
            folder = root / path.lstrip("/")
            found += [str(p) for p in folder.glob(f"roadmap-{pid}-*")] if folder.is_dir() else []
    return sorted(set(found))


# Degraded containment, as an unprivileged user --------------------------------------------

NOBODY = 65534


def _python_for(uid: int) -> tuple[str, dict[str, str]]:
    """A Python that `uid` may run with the checker importable: the tests' own when every
    folder above it is open to others, else the system's of the same version, given the
    tests' site-packages and this checkout on PYTHONPATH (pure and compiled wheels of one
    minor version load in any of its patch releases)."""
    checkout = str(Path(__file__).resolve().parents[2])
    site = sysconfig.get_paths()["purelib"]
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    candidates = [sys.executable, f"/usr/bin/{version}", f"/usr/local/bin/{version}"]
    for candidate in candidates:
        probe = subprocess.run(
            _as(uid, [candidate, "-c", "import checks.cli"], home="/"),
            env={"PYTHONPATH": f"{checkout}:{site}"},
            cwd="/",
            capture_output=True,
            check=False,
        )
        if probe.returncode == 0:
            return candidate, {"PYTHONPATH": f"{checkout}:{site}"}
    pytest.fail(
        f"no Python that uid {uid} may run imports the checker from {checkout}: tried "
        f"{candidates}; {sys.executable} lies under a folder closed to other users"
    )


def _as(uid: int, argv: list[str], *, home: str, path: str = os.defpath) -> list[str]:
    setpriv, env = shutil.which("setpriv") or "setpriv", shutil.which("env") or "env"
    drop = [setpriv, f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--inh-caps=-all"]
    return [*drop, env, f"HOME={home}", f"PATH={path}", *argv]


def _owner(path: Path) -> int | None:
    """Who owns `path`, or None once it is gone (another run's workspace may go any time)."""
    try:
        return path.lstat().st_uid
    except FileNotFoundError:
        return None


# One worker runs these four in turn, so no other run as `nobody` makes workspaces meanwhile.
@pytest.mark.xdist_group("as-nobody")
@pytest.mark.parametrize(
    ("path", "wording", "contained"),
    [
        (os.defpath, "own user, PID and mount namespaces", True),
        # Without `unshare` on PATH the checker cannot make namespaces: process groups.
        ("/nonexistent", "weaker containment: this machine allows no namespaces", False),
    ],
    ids=["user-namespaces", "no-unshare-so-process-groups"],
)
@pytest.mark.parametrize("home_in", ["/home", "/tmp"])
def test_as_an_unprivileged_user_the_report_says_which_containment_held(
    hostile: Hostile, path: str, wording: str, contained: bool, home_in: str
) -> None:
    if shutil.which("setpriv") is None or os.geteuid() != 0:
        pytest.fail("this test needs root and setpriv to run the checker as another user")
    python, env = _python_for(NOBODY)
    shared = Path(tempfile.mkdtemp(prefix="roadmap-degraded-"))
    home = Path(tempfile.mkdtemp(prefix="roadmap-degraded-home-", dir=home_in))
    temp_before = set(Path(tempfile.gettempdir()).glob("roadmap-check-*"))
    try:
        project = shared / "expense-tracker"
        shutil.copytree(hostile.project(f"start({DAEMON!r})\nsettle()\nusage()"), project)
        for folder in (shared, home):
            folder.chmod(0o755)
            for parent, dirs, files in os.walk(folder):
                for name in [parent, *(os.path.join(parent, n) for n in dirs + files)]:
                    os.chown(name, NOBODY, NOBODY)
        report = shared / "report"
        argv = [python, "-m", "checks", str(project), "--report-dir", str(report)]
        argv += ["--only", "01-cli/installs", "--only", HELP, "--timeout", "5"]
        began = time.monotonic()
        done = subprocess.run(
            _as(NOBODY, argv, home=str(home), path=path),
            env=env,
            cwd=shared,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        seconds = time.monotonic() - began
        run = CheckerRun(done.returncode, done.stdout, done.stderr, report)
        problems = report_problems(run)
        assert not problems, "\n".join(problems) + "\n" + run.stdout
        note = next((n for n in run.results.get("notes", []) if "ontainment" in n), "")
        assert wording in note, f"notes: {run.results.get('notes')}"
        brief = run.results.get("notes_in_brief", {}).get(note)  # the terminal's sentence
        assert brief and f"Note: {brief}; report.md has the details." in run.stdout
        assert seconds < 60
        assert run.statuses() == {"01-cli/installs": "pass", HELP: "pass"}, run.stdout
        if contained:  # the PID namespace took the daemon down; process groups cannot
            assert not wait_for_no_survivors(hostile.marker, within=SETTLE)
        work = home / ".cache" / "backend-roadmap" / "work"
        assert not (work.is_dir() and any(work.iterdir())), "a workspace was left in the home"
        # Other test workers run the checker as root beside this one: only this user's.
        made = set(Path(tempfile.gettempdir()).glob("roadmap-check-*")) - temp_before
        left = {path for path in made if _owner(path) == NOBODY}
        assert not left, f"a workspace was left: {left}"
    finally:
        for pid in marked_pids(hostile.marker):  # a weaker containment lets the daemon go
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        shutil.rmtree(shared, ignore_errors=True)
        shutil.rmtree(home, ignore_errors=True)
