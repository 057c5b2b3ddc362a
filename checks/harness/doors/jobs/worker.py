"""The learner's worker (stage 7): a long-running command that takes jobs from the database.

It runs as the server does, by the same `Server` (doors/http/server.py): contained, in its
own process group and the run's network, in the project's folder with the check's
storage in its environment, its output drained into a bounded buffer (the last lines are
what a failure shows). Unlike a server it has no port to say it is ready: it is launched,
and a wait watches it (`polling.py`). Killing it is a SIGKILL to its whole process
group, at the moment a check chooses.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence
from pathlib import Path

from checks.harness import process
from checks.harness.doors.http.server import Server
from checks.harness.failure import not_started_help
from checks.harness.transcript import Transcript

NO_PORT = 0  # a worker listens nowhere


class Worker:
    """One run of the learner's worker command; `variable` names its PID in a transcript."""

    def __init__(
        self, argv: Sequence[str], *, cwd: Path, env: Mapping[str, str], variable: str = "WORKER"
    ) -> None:
        self.argv, self.variable = list(argv), variable
        self.program = Server(self.argv, cwd=cwd, env=env, port=NO_PORT, shown=self.command)
        self.exit_code: int | None = None  # once it has ended by itself
        self.killed = False  # the checker killed it

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
            self.program.launch()
        except OSError as error:  # the run is ending, or the launcher is missing
            self.exit_code = 127
            self.program.log.append(f"could not start {self.argv[0]}: {error.strerror}")

    def alive(self) -> bool:
        if self.program.alive():
            return True
        self._note_exit()
        return False

    def kill(self, transcript: Transcript | None = None, why: str = "") -> None:
        """SIGKILL to the whole process group, now; the line says so in a transcript."""
        if transcript is not None:
            transcript.add(f"kill -9 ${self.variable}  # {why or 'the checker kills the worker'}")
            if self.stop_line in transcript.teardown:  # gone: a second kill would fail
                transcript.teardown.remove(self.stop_line)
        if self.program.alive():
            self.killed = True
        self.stop()

    def stop(self) -> None:
        """Kill the whole process group (safe to call twice, or on a worker that ended)."""
        self._note_exit()
        self.program.stop()

    def ended(self) -> str:
        """How the worker ended, in plain words, with what made it end if the launcher
        said (a command not installed, not executable)."""
        if self.killed:
            return "the checker killed it"
        failed = process.not_started(self.exit_code, self.log_tail(settle=0.05))
        said = f": {not_started_help(failed)}" if failed else ""
        return f"it exited with code {self.exit_code}{said}"

    def log_tail(self, settle: float = 0.0) -> str:
        """Its last lines; with `settle`, once it has been quiet that long (at most 2 s)."""
        return self.program.log_tail(settle)

    def _note_exit(self) -> None:
        code = self.program.exit_code()
        if code is not None and not self.killed and self.exit_code is None:
            self.exit_code = code
