"""Run the learner's web server (stage 3 on): start, wait until it listens, stop.

The server runs in its own process group like every learner program. Its output is drained
by a thread into a bounded buffer, so a chatty server can neither block on a full pipe nor
fill memory; the last lines are what a failure report shows.
"""

from __future__ import annotations

import collections
import contextlib
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO

from checks.harness import process
from checks.harness.failure import CheckFailed, command_line, not_started_help
from checks.harness.netns import run_network

LOG_LINES = 40  # what a failure shows of the server's output
KEPT_LINES = 20_000  # what a check reading the logs may ask for: every line, within reason
LINE_BYTES = 64 * 1024  # a JSON log record with a traceback is one long line
POLL = 0.05
BUSY_START_FACTOR = 4  # how much longer than its deadline a busy server may take to start
# A free port is chosen, then the server binds it: in between, another server of the run
# (a check in another worker) may take it. Its "Address already in use" is ours, not the
# learner's: the server is started again on another port, this many times at most.
PORT_TRIES = 3


def free_port() -> int:
    """A port free on the loopback learner servers listen on (the run's network)."""
    with run_network(), socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _in_use(port: int) -> bool:
    with run_network(), socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return True
        return False


def _lost_its_port(said: str) -> bool:
    """The server's own words for a port another program holds (uvicorn, gunicorn, errno)."""
    return "address already in use" in said.lower()


class Server:
    """One learner server process on 127.0.0.1:port."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        cwd: Path,
        env: Mapping[str, str],
        port: int,
        shown: str | None = None,
    ) -> None:
        self.argv, self.cwd, self.env, self.port = list(argv), cwd, env, port
        self.shown = shown or command_line(self.argv)  # the command as a report shows it
        self.log: collections.deque[str] = collections.deque(maxlen=KEPT_LINES)
        self.lines_seen = 0  # every line the server printed, since it first started
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, deadline: float) -> None:
        """Start the server and wait until it accepts connections, or fail clearly.

        A port still held (by a process the last server left behind, say) is never
        trusted: the server gets a fresh one, so its answers are its own. Past `deadline`,
        a server still busy (using CPU: importing, on a loaded machine) gets up to
        BUSY_START_FACTOR times as long; one that sits idle is failed then."""
        began = time.monotonic()
        if _in_use(self.port):
            self._move_port()
        self.launch()
        assert self._proc is not None
        busy: process.Busy | None = None  # watched from a window before the deadline
        tries = 1
        while (waited := time.monotonic() - began) < deadline or (
            waited < deadline * BUSY_START_FACTOR and busy is not None and busy()
        ):
            if busy is None and waited >= deadline - process.Busy.WINDOW:
                busy = process.Busy(self._proc.pid)
            if self._proc.poll() is not None:
                code = self._proc.returncode
                self.stop()
                said = self.log_tail(settle=0.05)  # its last lines may still be in the pipe
                if tries < PORT_TRIES and _lost_its_port(said) and self._move_port():
                    tries += 1
                    self.launch()
                    busy = None  # it watched the process that lost the port
                    continue
                problem = f"the server exited with code {code} before it listened"
                raise self._failure(problem, process.not_started(code, said))
            if self._listening():
                return
            time.sleep(POLL)
        self.stop()
        within = f"within {deadline:.0f} s"
        if waited > deadline + 1:
            within = f"within {waited:.0f} s (busy all the while past its {deadline:.0f} s)"
        raise self._failure(f"the server did not listen on port {self.port} {within}")

    def _move_port(self) -> bool:
        """Give the server a fresh port, where its command line names the port; whether
        it could (a command that takes its port from elsewhere keeps it)."""
        if str(self.port) not in self.argv:
            return False
        old, self.port = self.port, free_port()
        self.argv = [str(self.port) if arg == str(old) else arg for arg in self.argv]
        return True

    def launch(self) -> None:
        """Start the program, contained, its output drained; without waiting for anything
        (a worker, which has no port, is started so)."""
        self._proc = process.start(self.argv, cwd=self.cwd, env=self.env, stderr=subprocess.STDOUT)
        assert self._proc.stdout is not None
        threading.Thread(target=self._drain, args=(self._proc.stdout,), daemon=True).start()

    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def exit_code(self) -> int | None:
        """How it exited, once it has (None while it runs, or once stopped)."""
        return None if self._proc is None else self._proc.poll()

    def stop(self, grace: float = 0.0) -> bool:
        """Stop the whole process group; safe to call twice. With `grace`, first ask the
        server to stop as Ctrl-C would and wait up to that many seconds for it to exit (a
        server measured by coverage writes its data then: SIGKILL would lose it), then kill
        whatever is left. True when it exited by itself within the grace."""
        if self._proc is None:
            return False
        exited = False
        if grace > 0 and self._proc.poll() is None:
            process.interrupt_group(self._proc.pid)
            try:
                self._proc.wait(grace)
                exited = True
            except subprocess.TimeoutExpired:
                pass
        process.kill_group(self._proc.pid)
        self._proc.wait()
        self._proc = None
        return exited

    def terminate(self, grace: float) -> int | None:
        """Stop the server as `docker stop` stops a container: SIGTERM to its first
        process, then, after `grace` seconds, SIGKILL to all of it. Its exit code, or None
        when it had to be killed. Safe to call on a server that has stopped."""
        proc = self._proc
        if proc is None:
            return None
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(process.first_process(proc.pid), signal.SIGTERM)
        try:
            code: int | None = proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            code = None
        self.stop()
        return code

    def log_tail(self, settle: float = 0.0) -> str:
        """The last lines the server printed. With `settle`, first wait until it has been
        quiet that long (at most 2 s): a server logs a crash's traceback just after it
        answers 500, and the traceback is what the learner needs to see."""
        if settle:
            deadline = time.monotonic() + 2.0
            seen = -1
            while seen != self.lines_seen and time.monotonic() < deadline:
                seen = self.lines_seen
                time.sleep(settle)
        tail = list(self.log)[-LOG_LINES:]
        return "\n".join(line[:500] for line in tail) or "(it printed nothing)"

    def mark(self) -> int:
        """A point in the server's output: `lines_since` it reads what came after."""
        return self.lines_seen

    def lines_since(self, mark: int, settle: float = 0.1) -> list[str]:
        """Every line the server printed after `mark`, once it has been quiet for `settle`
        seconds (at most 2 s): a log line is written just after its answer is sent."""
        self.log_tail(settle)
        new = self.lines_seen - mark
        return list(self.log)[-new:] if new > 0 else []

    def _listening(self) -> bool:
        """Listening, and by the process the checker started: one that has exited cannot
        be the one that answers, nor can a socket none of its processes holds."""
        if self._proc is None or self._proc.poll() is not None:
            return False
        with run_network(), socket.socket() as sock:
            sock.settimeout(POLL)
            if sock.connect_ex(("127.0.0.1", self.port)) != 0:
                return False
        return process.listens_on(self._proc.pid, self.port) is not False

    def _drain(self, pipe: IO[bytes]) -> None:
        for line in iter(pipe.readline, b""):
            self.log.append(line[:LINE_BYTES].decode("utf-8", errors="replace").rstrip())
            self.lines_seen += 1

    def _failure(self, problem: str, failed: process.NotStarted | None = None) -> CheckFailed:
        said = f"{not_started_help(failed)}\n" if failed else ""
        return CheckFailed(
            problem,
            ran=self.shown,
            got=said + self.log_tail(),
            expected=f"a server listening on {self.url}",
        )

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
