"""A private, throw-away PostgreSQL cluster, started from the machine's own binaries.

When no server is named (see `postgres.py`), stage 4 starts one of its own, once per run:
a copy of the cached template (`postgres_binaries.py`), listening on a free loopback
port, run by an unprivileged user when the checker runs as root (PostgreSQL refuses to
run as root), and deleted by `stop`.

Cleanup when the checker is SIGKILLed: pg_ctl starts the postmaster as a daemon in a
session of its own (its pid is its process group), outside the learner's PID namespace
and cgroup, so neither `unshare --kill-child` nor PR_SET_PDEATHSIG reaches it. The
checker must therefore name `folder` among the watchdog's folders before starting the
cluster, and append `pid` to the process-group log the watchdog kills; the postmaster's
children exit by themselves when it dies. From any other process, `stop_folder` stops a
cluster through its data folder's postmaster.pid.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import socket
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from checks.harness.doors.storage import postgres_binaries
from checks.harness.doors.storage.postgres_binaries import (
    INSTALL,
    SUPERUSER,
    URL_HINT,
    PostgresUnavailable,
    find_binaries,
)

# Not the learner's user (ADR 0010): their code must not read the cluster's files, signal
# the postmaster or reach the superuser through the socket.
POSTGRES_UID = int(os.environ.get("ROADMAP_POSTGRES_UID", "61001"))
HOST = "127.0.0.1"
START_SECONDS = 60
MAX_SOCKET_FOLDER = 107 - len("/socket/.s.PGSQL.65535")  # sun_path: 107 bytes and a NUL


@dataclass(frozen=True)
class Cluster:
    folder: Path  # data/, socket/ and log; deleted by `stop`
    bin: Path
    port: int
    pid: int  # the postmaster, leader of its own process group
    uid: int | None  # who runs it; None: the checker's own user
    host: str = HOST
    creates_roles: bool = True

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def psql(self) -> Path:
        return self.bin / "psql"

    @property
    def admin(self) -> str:
        """How the checker reaches it as superuser: the Unix socket, trusted, in a folder
        only the cluster's user (and root) may enter. Over TCP the superuser has no
        password, so it cannot log in at all."""
        return (
            f"postgresql://{SUPERUSER}@/postgres"
            f"?host={quote(str(self.folder / 'socket'), safe='/')}&port={self.port}"
        )

    def learner_url(self, database: str, user: str | None, password: str | None) -> str:
        login = f"{user}:{password}@" if user and password else ""
        return f"postgresql+psycopg://{login}{self.host}:{self.port}/{database}"

    @classmethod
    def start(cls, folder: Path, uid: int | None = None) -> Cluster:
        """Start a cluster in `folder` (created; it must not exist or be empty), run by
        `uid` when the checker runs as root (POSTGRES_UID by default). Raises
        PostgresUnavailable."""
        binaries = find_binaries()
        if binaries is None:
            raise PostgresUnavailable(INSTALL)
        uid = (POSTGRES_UID if uid is None else uid) if os.geteuid() == 0 else None
        _prepare(folder, uid)
        try:
            shutil.copytree(postgres_binaries.template(binaries), folder / "data", symlinks=True)
            (folder / "socket").mkdir(mode=0o700)
            if uid is not None:
                postgres_binaries.chown_tree(folder, uid)
            return cls._launch(folder, binaries, uid)
        except BaseException:
            stop_folder(folder)
            raise

    @classmethod
    def _launch(cls, folder: Path, binaries: Path, uid: int | None) -> Cluster:
        for _ in range(3):  # another program may take the free port before the postmaster
            port = _free_port()
            options = f"-p {port} -k {shlex.quote(str(folder / 'socket'))}"  # for /bin/sh
            argv = [str(binaries / "pg_ctl"), "start", "-w", "-t", str(START_SECONDS)]
            argv += ["-D", str(folder / "data"), "-l", str(folder / "log"), "-o", options]
            done = postgres_binaries.run_tool(argv, uid, folder, START_SECONDS + 30)
            if done.returncode == 0:
                pid = int((folder / "data" / "postmaster.pid").read_text().split()[0])
                return cls(folder, binaries, port, pid, uid)
            log = (folder / "log").read_text(errors="replace") if (folder / "log").exists() else ""
            if "Address already in use" not in log:
                reason = postgres_binaries.last_error(log or done.stderr + done.stdout)
                raise PostgresUnavailable(
                    f"PostgreSQL in {binaries} did not start: {reason}; check that this "
                    f"machine can run it, or pass {URL_HINT}"
                )
        raise PostgresUnavailable(f"no free port for PostgreSQL after 3 tries; pass {URL_HINT}")

    def stop(self) -> None:
        """Stop the postmaster and delete the folder. Safe to call twice."""
        stop_folder(self.folder)

    close = stop  # what the checker calls at the end of a run, whichever server it used


def stop_folder(folder: Path) -> None:
    """Stop the cluster in `folder` and delete the folder, from any process (a watchdog, a
    later run): the postmaster is found through its data folder's postmaster.pid."""
    pid = _postmaster(folder / "data")
    if pid is not None:
        # SIGQUIT is pg_ctl's "immediate" mode: the postmaster stops its children, then exits.
        for sig in (signal.SIGQUIT, signal.SIGKILL):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, sig)
            if _ended(pid, seconds=5):
                break
    shutil.rmtree(folder, ignore_errors=True)


def _postmaster(data: Path) -> int | None:
    """The pid in postmaster.pid while that process is still this cluster's postmaster."""
    try:
        pid = int((data / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    with contextlib.suppress(OSError):  # Linux: a postmaster works in its data folder
        if os.readlink(f"/proc/{pid}/cwd") != str(data.resolve()):
            return None  # a dead postmaster's pid, reused by another program
    return pid


def _ended(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while _alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return not Path("/proc/self").exists()  # macOS has no /proc: os.kill has answered
    return state not in ("Z", "X")  # a zombie has ended; init has not reaped it yet


def _prepare(folder: Path, uid: int | None) -> None:
    if len(str(folder)) > MAX_SOCKET_FOLDER:
        raise PostgresUnavailable(
            f"the cluster's folder {folder} is too long a path for its Unix socket: give "
            f"Cluster.start a folder of at most {MAX_SOCKET_FOLDER} characters"
        )
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if any(folder.iterdir()):
        raise PostgresUnavailable(f"{folder} is not empty: give Cluster.start a new folder")
    closed = [p for p in folder.parents if not p.stat().st_mode & stat.S_IXOTH]
    if uid is not None and closed:
        raise PostgresUnavailable(
            f"PostgreSQL runs as uid {uid}, which may not enter {closed[0]}: start the "
            "cluster under a folder any user may enter, such as /var/lib/backend-roadmap"
        )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port
