"""The learner's worker (stage 7): a long-running command that takes jobs from the database.

It runs as the server does: contained, in its own process group, in the project's folder
with the check's storage in its environment, its output drained by a thread into a
bounded buffer (the last lines are what a failure shows). Unlike a server it has no port
to say it is ready: it is started, and a wait watches it (`polling.py`). Killing it is a
SIGKILL to its whole process group, at the moment a check chooses.
"""

from __future__ import annotations

import collections
import shlex
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO

from checks.harness import process
from checks.harness.failure import not_started_help
from checks.harness.transcript import Transcript

LOG_LINES = 40  # what a failure shows of the worker's output
KEPT_LINES = 2_000
LINE_BYTES = 16 * 1024


class Worker:
    """One run of the learner's worker command; `variable` names its PID in a transcript."""

    def __init__(
        self, argv: Sequence[str], *, cwd: Path, env: Mapping[str, str], variable: str = "WORKER"
    ) -> None:
        self.argv, self.cwd, self.env, self.variable = list(argv), cwd, env, variable
        self.log: collections.deque[str] = collections.deque(maxlen=KEPT_LINES)
        self.lines_seen = 0
        self.exit_code: int | None = None  # once it has ended (None while it runs, or killed)
        self.killed = False  # the checker killed it
        self._proc: subprocess.Popen[bytes] | None = None
        self._drained = threading.Event()

    @property
    def command(self) -> str:
        return shlex.join(self.argv)

    @property
    def start_line(self) -> str:
        """The start as a learner pastes it: in the background, its output on the terminal
        (stdout to stderr, so `$(…)` returns at once with its PID only), and `$!`
        left to the server, whose stop line uses it."""
        return f"{self.variable}=$({self.command} >&2 & echo $!)  # the worker, in the background"

    @property
    def stop_line(self) -> str:
        return f"kill ${self.variable}  # stop the worker"

    def start(self, transcript: Transcript | None = None) -> None:
        if transcript is not None:
            transcript.add(self.start_line)
            transcript.tear_down(self.stop_line)
        try:
            self._proc = process.start(
                self.argv, cwd=self.cwd, env=self.env, stderr=subprocess.STDOUT
            )
        except OSError as error:  # the run is ending, or the launcher is missing
            self.exit_code, self._proc = 127, None
            self.log.append(f"could not start {self.argv[0]}: {error.strerror}")
            self._drained.set()
            return
        assert self._proc.stdout is not None
        threading.Thread(target=self._drain, args=(self._proc.stdout,), daemon=True).start()

    def alive(self) -> bool:
        if self._proc is None:
            return False
        code = self._proc.poll()
        if code is None:
            return True
        if not self.killed:
            self.exit_code = code
        return False

    def kill(self, transcript: Transcript | None = None, why: str = "") -> None:
        """SIGKILL to the whole process group, now; the line says so in a transcript."""
        if transcript is not None:
            transcript.add(f"kill -9 ${self.variable}  # {why or 'the checker kills the worker'}")
            if self.stop_line in transcript.teardown:  # gone: a second kill would fail
                transcript.teardown.remove(self.stop_line)
        if self._proc is not None and self._proc.poll() is None:
            self.killed = True
        self.stop()

    def stop(self) -> None:
        """Kill the whole process group (safe to call twice, or on a worker that ended)."""
        if self._proc is not None:
            process.kill_group(self._proc.pid)
            code = self._proc.wait()
            if not self.killed and self.exit_code is None:
                self.exit_code = code
            self._proc = None

    def ended(self) -> str:
        """How the worker ended, in plain words, with what made it end if the launcher
        said (a command not installed, not executable)."""
        if self.killed:
            return "the checker killed it"
        failed = process.not_started(self.exit_code, self.log_tail(settle=0.05))
        said = f": {not_started_help(failed)}" if failed else ""
        return f"it exited with code {self.exit_code}{said}"

    def log_tail(self, settle: float = 0.0) -> str:
        """Its last lines; with `settle`, once it has been quiet that long (at most 2 s),
        or at once when its output has ended."""
        if settle:
            deadline, seen = time.monotonic() + 2.0, -1
            while seen != self.lines_seen and time.monotonic() < deadline:
                seen = self.lines_seen
                if self._drained.wait(settle):
                    break
        tail = list(self.log)[-LOG_LINES:]
        return "\n".join(line[:500] for line in tail) or "(it printed nothing)"

    def mark(self) -> int:
        return self.lines_seen

    def lines_since(self, mark: int) -> list[str]:
        new = self.lines_seen - mark
        return list(self.log)[-new:] if new > 0 else []

    def _drain(self, pipe: IO[bytes]) -> None:
        try:
            for line in iter(pipe.readline, b""):
                self.log.append(line[:LINE_BYTES].decode("utf-8", errors="replace").rstrip())
                self.lines_seen += 1
        finally:
            self._drained.set()
