"""The learner's app under uvicorn, on one check's storage: start, restart, stop.

The server process is state by nature (it runs or not, it has a port); everything that
talks to it goes through an immutable `Client`. What the server publishes about itself
(its OpenAPI document) is cached here, once per server.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence
from typing import Any

from checks.harness.doors.http.client import SHOWN_PORT, SHOWN_URL
from checks.harness.doors.http.openapi import Paths
from checks.harness.doors.http.server import Server, free_port
from checks.harness.doors.storage import Storage
from checks.harness.manifest import Api, Manifest
from checks.harness.transcript import Transcript
from checks.harness.workspace import Workspace

STOP_LINE = "kill $!  # stop the server"  # `$!`: the last program started with `&`
# Stopped, and gone (its port free) before it starts again; `wait` would say how it ended.
RESTART_LINE = (
    "kill $!; while kill -0 $! 2>/dev/null; do sleep 0.2; done  # stop the server, then start "
    "it again:"
)


class ServedApp:
    def __init__(
        self,
        manifest: Manifest,
        workspace: Workspace,
        storage: Storage,
        deadline: float,
        env_changes: Mapping[str, str | None] | None = None,
        launcher: Sequence[str] = (),
    ) -> None:
        """`env_changes`: variables set (or, with None, unset) for this server only, such
        as a missing secret; the reports' command says so. `launcher`: what runs Python
        in place of the venv's `python` (`python -m coverage run …`, for a server the
        checker measures)."""
        self.config: Api = manifest.require_api()
        self.storage = storage
        self.deadline = deadline  # seconds the server may take to listen: the run timeout
        serve = ["-m", "uvicorn", self.config.app, *(["--factory"] if self.config.factory else [])]
        changes = dict(env_changes or {})
        env = workspace.env(**storage.env())
        unset = [name for name, value in changes.items() if value is None]
        for name, value in changes.items():
            if value is None:
                env.pop(name, None)
            else:
                env[name] = value
        # The command as a learner would type it, for reports; the checker's own runs the
        # project's venv on a free port.
        prefix = ["env", *[arg for name in unset for arg in ("-u", name)]] if changes else []
        prefix += [f"{k}={v}" for k, v in changes.items() if v is not None]
        python = list(launcher) or [str(workspace.python)]
        shown = ["python", *python[1:]]
        self.command = shlex.join([*prefix, *shown, *serve, "--port", str(SHOWN_PORT)])
        port = free_port()
        self.server = Server(
            [*python, *serve, "--host", "127.0.0.1", "--port", str(port)],
            cwd=workspace.project,
            env=env,
            port=port,
            shown=self.command,
        )
        self.document: dict[str, Any] | None = None  # /openapi.json, read once
        self.paths: Paths | None = None  # the resource's paths, found in it once

    # What a Client needs (the Endpoint protocol) -------------------------------------

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def setup_lines(self) -> tuple[str, ...]:
        return (*self.storage.setup_lines(), *self.start_lines)

    @property
    def teardown_lines(self) -> tuple[str, ...]:
        return (STOP_LINE,)

    def alive(self) -> bool:
        return self.server.alive()

    def log_tail(self, settle: float = 0.0) -> str:
        return self.server.log_tail(settle)

    # The process ----------------------------------------------------------------------

    @property
    def start_lines(self) -> tuple[str, str]:
        """The command in the background, then a wait until it answers (or has stopped),
        for a transcript: a fixed sleep is too short on a slow machine."""
        wait = f"while kill -0 $! && ! curl -so /dev/null {SHOWN_URL}/; do sleep 0.5; done"
        return (f"{self.command} &", f"{wait}  # until it answers")

    def start(self) -> None:
        self.server.start(self.deadline)

    def restart(self, transcript: Transcript) -> None:
        """Stop the server (the whole process group, at once) and start it again."""
        self.server.stop()
        transcript.add(RESTART_LINE)
        for line in self.start_lines:
            transcript.add(line)
        self.server.start(self.deadline)

    def stop(self, grace: float = 0.0) -> bool:
        """Stop the server; with `grace`, as Ctrl-C would first (see `Server.stop`)."""
        return self.server.stop(grace)
