"""The web server an image starts, and the address it binds, read from its command.

uvicorn, gunicorn, hypercorn, granian and FastAPI's CLI, started directly, through
`python -m`, `uv run`, or from a line of the script the command runs; each with its own
defaults (uvicorn binds 127.0.0.1:8000 unless told otherwise: unreachable from outside a
container).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from checks.harness.doors.deploy.compose import interpolate

# server -> (default host, default port)
DEFAULTS = {
    "uvicorn": ("127.0.0.1", 8000),
    "gunicorn": ("127.0.0.1", 8000),
    "hypercorn": ("127.0.0.1", 8000),
    "granian": ("127.0.0.1", 8000),
    "fastapi": ("0.0.0.0", 8000),  # `fastapi run`; `fastapi dev` binds 127.0.0.1
}
LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")


@dataclass(frozen=True)
class Binding:
    server: str  # "uvicorn"
    host: str
    port: int | None  # None: a Unix socket, or a value the checker cannot read
    words: tuple[str, ...]  # the server's command, as written

    @property
    def shown(self) -> str:
        return shlex.join(self.words)

    @property
    def loopback_only(self) -> bool:
        return self.host in LOOPBACK


def _server_at(words: Sequence[str]) -> int | None:
    for index, word in enumerate(words):
        name = word.rsplit("/", 1)[-1]
        if name in DEFAULTS:
            return index
        if word == "-m" and index + 1 < len(words) and words[index + 1] in DEFAULTS:
            return index + 1
    return None


def _option(words: Sequence[str], *names: str) -> str | None:
    found = None
    for index, word in enumerate(words):
        for name in names:
            if word == name and index + 1 < len(words):
                found = words[index + 1]
            elif name.startswith("--") and word.startswith(name + "="):
                found = word.split("=", 1)[1]
            elif not name.startswith("--") and word.startswith(name) and len(word) > len(name):
                found = word[len(name) :]
    return found


def _port(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


def binding(words: Sequence[str], env: Mapping[str, str]) -> Binding | None:
    """The server `words` start and what it binds; None when they start none the
    checker knows. Variables (`${PORT:-8000}`) take their values from `env`."""
    start = _server_at(words)
    if start is None:
        return None
    server = words[start].rsplit("/", 1)[-1]
    rest = [interpolate(word, env) for word in words[start + 1 :]]
    host, port = DEFAULTS[server]
    if server == "fastapi" and rest[:1] == ["dev"]:
        host = "127.0.0.1"
    if server in ("gunicorn", "hypercorn"):
        bind = _option(rest, "--bind", "-b")
        if bind is None and _option(rest, "--config", "-c"):
            return Binding(server, "", None, tuple(words[start:]))  # in its config file
        if bind is not None:
            if bind.startswith("unix:"):
                return Binding(server, bind, None, tuple(words[start:]))
            host, _, number = bind.rpartition(":")
            return Binding(server, host or "0.0.0.0", _port(number), tuple(words[start:]))
        return Binding(server, host, port, tuple(words[start:]))
    if _option(rest, "--uds", "--fd"):
        return Binding(server, "", None, tuple(words[start:]))
    chosen_host = _option(rest, "--host")
    chosen_port = _option(rest, "--port")
    return Binding(
        server,
        chosen_host if chosen_host is not None else host,
        _port(chosen_port) if chosen_port is not None else port,
        tuple(words[start:]),
    )


def in_script(text: str, env: Mapping[str, str]) -> Binding | None:
    """The server a shell script starts: its last line that starts one."""
    found = None
    logical = re.sub(r"\\\n", " ", text)
    for line in logical.splitlines():
        if line.lstrip().startswith("#"):
            continue
        try:
            words = shlex.split(line, comments=True)
        except ValueError:
            words = line.split()
        found = binding(words, env) or found
    return found
