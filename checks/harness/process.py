"""Run a learner's program as a subprocess that can never hang, flood or outlive the checker.

Every program runs in its own process group, inside the run's containment (namespaces,
an unprivileged user, limits: see containment.py) once `contain` has been called, with a
deadline, and with its output read through a bounded buffer: a program that prints
gigabytes is stopped once it passes `flood_limit`, not allowed to fill the checker's memory.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import selectors
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from checks.harness import cgroups
from checks.harness.containment import LAUNCH_FAILED, Containment, give_to_learner

KEEP_HEAD = 16 * 1024  # what a report can usefully show of one stream: its start …
KEEP_TAIL = 48 * 1024  # … and its end, where a traceback ends in the exception
FLOOD_LIMIT = 10 * 1024 * 1024  # past this a program is flooding, not answering
AFTER_EXIT_GRACE = 0.5  # seconds to let pipes held by grandchildren close
# The runner's own words when an uncontained program cannot start (see `run`).
COULD_NOT_START = re.compile(r"could not start (?P<program>.+): (?P<reason>[^:]+)")


@dataclass(frozen=True)
class NotStarted:
    """A program that never ran: the system could not execute it, and why."""

    program: str  # as the command named it: "alembic", "./migrate.sh"
    reason: str  # the system's words: "No such file or directory", "Permission denied"

    @property
    def missing(self) -> bool:
        return self.reason == os.strerror(errno.ENOENT)


def not_started(exit_code: int | None, output: str) -> NotStarted | None:
    """The program that could not be started, when its whole output is the launcher's (or
    the runner's) one line saying so, with the shell's exit code for it (126 or 127)."""
    if exit_code not in (126, 127):
        return None
    line = output.strip()
    found = LAUNCH_FAILED.fullmatch(line) or COULD_NOT_START.fullmatch(line)
    return NotStarted(found["program"], found["reason"]) if found else None


@dataclass(frozen=True)
class Completed:
    """What one run of a program did, in the terms a report needs."""

    argv: tuple[str, ...]
    exit_code: int | None  # None when the checker had to kill it
    stdout: str
    stderr: str
    timed_out: bool = False
    flooded: bool = False
    seconds: float = 0.0
    killed_for: str | None = None  # a limit the program broke ("used more than 512 MiB")

    @property
    def ok(self) -> bool:
        return self.exit_code == 0

    @property
    def not_started(self) -> NotStarted | None:
        """The program never ran: not installed, or not executable."""
        return None if self.stdout.strip() else not_started(self.exit_code, self.stderr)


class _Stream:
    """Keeps the first KEEP_HEAD and the last KEEP_TAIL bytes of a pipe, and counts all."""

    def __init__(self) -> None:
        self.head = bytearray()
        self.tail = bytearray()
        self.total = 0

    def feed(self, chunk: bytes) -> None:
        self.total += len(chunk)
        room = KEEP_HEAD - len(self.head)
        if room > 0:
            self.head += chunk[:room]
            chunk = chunk[room:]
        if chunk:
            self.tail += chunk
            del self.tail[: max(0, len(self.tail) - KEEP_TAIL)]

    def text(self) -> str:
        text = self.head.decode("utf-8", errors="replace")
        skipped = self.total - len(self.head) - len(self.tail)
        if skipped > 0:
            text += f"\n… ({skipped} bytes not shown) …\n"
        return text + self.tail.decode("utf-8", errors="replace")


_live_groups: set[int] = set()
_starting = [True]  # False once the run is ending: no learner program may start then
_contained: tuple[Containment, Path | None, Path | None] | None = None


def contain(containment: Containment, tmp: Path | None, groups_log: Path | None) -> None:
    """From now on, start every program inside `containment`, with `tmp` (the workspace's
    own) as its /tmp unless its TMPDIR is another folder of that workspace (a check's: see
    `private_tmp`); write each process group to `groups_log`, for the watchdog to kill if
    we die."""
    global _contained
    _contained = (containment, tmp, groups_log)
    _starting[0] = True  # a new run: programs may start again


def containment() -> Containment | None:
    return _contained[0] if _contained else None


def hand_over(path: Path) -> None:
    """Give a file or folder the checker just made to the learner's user, if there is one,
    so the learner's programs can write there (data folders, copies of the seed)."""
    jail = containment()
    if jail is not None and jail.uid is not None:
        os.chown(path, jail.uid, jail.uid)


def hand_over_all(folder: Path) -> None:
    """`hand_over` for a folder the checker filled and all it holds, links themselves and
    never what they point at; never a folder of hard links to the checker's own files."""
    jail = containment()
    if jail is not None:
        give_to_learner(folder, jail, keep=None)


def first_process(pid: int) -> int:
    """The process a container engine would signal: the program itself, which is the
    first process of its PID namespace when contained (the child `unshare --fork` makes
    of `pid`), else `pid`. As there, a first process that set no handler for a signal
    (a shell script without `exec`) does not get it."""
    jail = containment()
    if jail is None or not jail.namespaces:
        return pid
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return pid
    return int(children[0]) if children else pid


def kill_group(pgid: int) -> None:
    """Kill a whole process group, ignoring one that is already gone."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)
    _live_groups.discard(pgid)


def interrupt_group(pgid: int) -> None:
    """Ask a whole process group to stop, as Ctrl-C would (SIGINT): a program that saves
    something on its way out (coverage's measurements) gets to save it. Contained, the
    group's leader is the launcher's `unshare`, which is spared: one that does not block
    SIGINT (util-linux before 2.38) would die of it and, with --kill-child, take the
    program down by SIGKILL before it saved anything."""
    jail = containment()
    if jail is None or not jail.namespaces:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGINT)
        return
    for pid in _members(pgid):
        if pid != pgid:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGINT)


def _members(pgid: int) -> list[int]:
    """The processes of a process group, from /proc."""
    return [pid for pid, _ in _group_stats(pgid)]


LISTEN = "0A"  # a socket's state in /proc/net/tcp: listening


def listens_on(pgid: int, port: int) -> bool | None:
    """Whether a process of the group holds the socket listening on `port` (in the
    group's own network), or None when /proc does not say (not Linux, not readable).

    Another program that listens on the same port also answers a connection: a server
    another check started in the moment between a free port's check and this group's
    bind. Answers from it would be graded as this server's."""
    try:
        tables = [Path(f"/proc/{pgid}/net/{name}").read_text() for name in ("tcp", "tcp6")]
    except OSError:
        return None
    wanted = f":{port:04X}"
    inodes = set()
    for line in "".join(tables).splitlines()[1:]:
        fields = line.split()
        if len(fields) > 9 and fields[1].endswith(wanted) and fields[3] == LISTEN:
            inodes.add(f"socket:[{fields[9]}]")
    if not inodes:
        return False
    for pid in _members(pgid):
        try:
            held = {os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()}
        except OSError:
            return None  # another user's, unreadable: trust the answer, as before
        if held & inodes:
            return True
    return False


def cpu_seconds(pgid: int) -> float:
    """The CPU time a process group's live processes (and the children they reaped) have
    used: what tells a program that is busy starting from one that waits on nothing."""
    ticks = sum(sum(int(field) for field in fields[11:15]) for _, fields in _group_stats(pgid))
    return ticks / os.sysconf("SC_CLK_TCK")


def proc_files(name: str) -> list[Path]:
    """/proc/PID/`name` of every process now: listed without asking whether each exists
    (pathlib's glob does, and a process that ends meanwhile answers ESRCH, which it
    raises). The caller reads each inside `except OSError`: it may be gone by then."""
    try:
        pids = [entry for entry in os.listdir("/proc") if entry.isdigit()]
    except OSError:
        return []  # no /proc (not Linux)
    return [Path("/proc", pid, name) for pid in pids]


def _stats() -> list[tuple[int, list[str]]]:
    """Each process with its /proc stat fields after the command's name (state first, so
    the parent is at 1, the process group at 2 and utime at 11)."""
    found = []
    for stat in proc_files("stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone while we looked
        found.append((int(stat.parent.name), fields))
    return found


def _group_stats(pgid: int) -> list[tuple[int, list[str]]]:
    """Each process of a group with its stat fields (`_stats`)."""
    return [(pid, fields) for pid, fields in _stats() if int(fields[2]) == pgid]


class Busy:
    """Whether a process group is still working: its CPU time grew since a sample taken
    about `window` seconds ago (or since this watch began). A wait on a program's start
    runs past its deadline while the program is busy (a loaded machine starts it slowly),
    never past one that sits idle."""

    WINDOW = 2.0

    def __init__(self, pgid: int, window: float = WINDOW) -> None:
        self.pgid, self.window = pgid, window
        self._seen, self._at = cpu_seconds(pgid), time.monotonic()

    def __call__(self) -> bool:
        used, now = cpu_seconds(self.pgid), time.monotonic()
        busy = used > self._seen
        if now - self._at >= self.window:
            self._seen, self._at = used, now
        return busy


def stop_starting() -> None:
    """From now on, refuse to start learner programs: the run is ending, and a thread
    still preparing must not start one after `kill_all` has swept."""
    _starting[0] = False


def kill_all() -> None:
    """Kill every process group this checker started and has not reaped (teardown)."""
    for pgid in list(_live_groups):
        kill_group(pgid)


def start(
    argv: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    stdout: int | None = subprocess.PIPE,
    stderr: int | None = subprocess.PIPE,
    network: bool = False,
    learner: bool = True,
) -> subprocess.Popen[bytes]:
    """Start a program in a new process group that `kill_all` will clean up; with no
    network but the run's own loopback, unless it is an install (`network`); contained,
    unless it is one of the checker's own tools (`learner=False`: it runs no learner
    code, only reads the learner's files)."""
    if not _starting[0]:
        raise OSError(errno.ECANCELED, "the run is ending")
    command, preexec = list(argv), None
    if _contained and learner:
        jail, tmp, _ = _contained
        command = jail.wrap(argv, private_tmp(tmp, env), network=network)
        preexec = jail.preexec()
    proc = subprocess.Popen(
        command,
        cwd=cwd,
        env=dict(env),
        stdin=subprocess.DEVNULL,
        stdout=stdout,
        stderr=stderr,
        start_new_session=True,
        preexec_fn=preexec,  # only os-level calls: safe beside the server's drain thread
    )
    _live_groups.add(proc.pid)
    if _contained and _contained[2]:
        with _contained[2].open("a") as log:
            log.write(f"{proc.pid}\n")
    return proc


def private_tmp(run_tmp: Path | None, env: Mapping[str, str]) -> Path | None:
    """The folder a program sees as /tmp: its own TMPDIR when that is a folder of the
    workspace (each check's storage has one, so checks never meet in /tmp), else the
    run's. Only the checker sets TMPDIR for the programs it starts."""
    own = env.get("TMPDIR")
    if run_tmp is None or not own:
        return run_tmp
    own_tmp, workspace = Path(own), run_tmp.parent
    inside = own_tmp.is_relative_to(workspace) and own_tmp != workspace
    return own_tmp if inside and ".." not in own_tmp.parts else run_tmp


def run(
    argv: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    timeout: float,
    flood_limit: int = FLOOD_LIMIT,
    network: bool = False,
    learner: bool = True,
) -> Completed:
    """Run a program to completion, or until its deadline or flood limit, whichever is
    first; `network`: an install, which reaches the package index; `learner=False`: one
    of the checker's own tools, uncontained."""
    began = time.monotonic()
    jail = containment() if learner else None
    ooms = cgroups.oom_kills(jail.cgroup_root) if jail else 0
    try:
        proc = start(argv, cwd=cwd, env=env, network=network, learner=learner)
    except OSError as error:  # not found, not executable: an answer, not a crash
        code = 126 if isinstance(error, PermissionError) else 127  # as a shell says it
        return Completed(tuple(argv), code, "", f"could not start {argv[0]}: {error.strerror}")
    streams = {proc.stdout: _Stream(), proc.stderr: _Stream()}
    timed_out = flooded = False
    deadline = began + timeout
    with selectors.DefaultSelector() as selector:
        for pipe in streams:
            assert pipe is not None
            selector.register(pipe, selectors.EVENT_READ)
        while selector.get_map():
            now = time.monotonic()
            if now >= deadline:
                timed_out = proc.poll() is None
                break
            for key, _ in selector.select(timeout=min(0.1, deadline - now)):
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    selector.unregister(key.fileobj)
                    continue
                streams[key.fileobj].feed(chunk)  # type: ignore[index]
            if sum(s.total for s in streams.values()) > flood_limit:
                flooded = True
                break
            if proc.poll() is not None:  # exited; don't wait forever on a grandchild's pipe
                deadline = min(deadline, time.monotonic() + AFTER_EXIT_GRACE)
    kill_group(proc.pid)
    exit_code = proc.wait()
    for pipe in streams:
        assert pipe is not None
        pipe.close()
    out, err = streams.values()
    killed_for = None
    if jail and _out_of_memory(jail, ooms, exit_code, err.text()):
        killed_for = f"it used more than {jail.memory_mib} MiB of memory"
    return Completed(
        argv=tuple(argv),
        exit_code=None if (timed_out or flooded) else exit_code,
        stdout=out.text(),
        stderr=err.text(),
        timed_out=timed_out,
        flooded=flooded,
        seconds=time.monotonic() - began,
        killed_for=killed_for,
    )


def _out_of_memory(jail: Containment, ooms_before: int, exit_code: int, stderr: str) -> bool:
    """The kernel's OOM killer struck (cgroup), or Python ran out under RLIMIT_AS."""
    if jail.memory_by_cgroup:  # unshare may exit 1, not -9, when its child is OOM-killed
        return exit_code != 0 and cgroups.oom_kills(jail.cgroup_root) > ooms_before
    return exit_code != 0 and "MemoryError" in stderr


def signal_children(signum: int) -> None:
    """Send `signum` to this process's direct children (the checker's parallel workers)."""
    me = str(os.getpid())
    for pid, fields in _stats():
        if fields[1] == me:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signum)
