"""The real server, as an operator runs it: uvicorn in a process of its own.

What only a real process shows: that everything it writes, uvicorn's own lines included,
is JSON, with one access line per request. (That it stops before it listens without its
settings is tested in tests/api/test_app_settings.py, by importing the module as uvicorn
does: a second server process would cost seconds and prove nothing more.)
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

START_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(env: dict[str, str], port: int) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "uvicorn", "expense_tracker.api.main:app"]
    return subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def get(port: int, path: str, request_id: str) -> tuple[int, str]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"X-Request-ID": request_id}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status, answer.headers["X-Request-ID"]
    except urllib.error.HTTPError as error:
        return error.code, error.headers["X-Request-ID"]


@pytest.fixture
def server(database_url) -> Iterator[tuple[int, subprocess.Popen[str]]]:
    port = free_port()
    # os.environ as conftest's `environment` left it: production, a test SECRET_KEY.
    process = start({**os.environ, "DATABASE_URL": database_url}, port)
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"the server did not start:\n{process.communicate()[0]}")
            time.sleep(0.1)
    yield port, process
    process.kill()
    process.wait()


def test_every_line_the_server_writes_is_json_and_each_request_has_one(server):
    port, process = server

    answers = [get(port, "/health", "first"), get(port, "/v1/expenses", "second")]
    process.send_signal(signal.SIGINT)  # uvicorn's Ctrl+C: it logs its shutdown and exits
    output, _ = process.communicate(timeout=START_SECONDS)

    assert answers == [(200, "first"), (401, "second")]
    lines = [json.loads(line) for line in output.splitlines()]  # fails on any other line
    requests = [line for line in lines if line["event"] == "request"]
    assert [(r["request_id"], r["path"], r["status"]) for r in requests] == [
        ("first", "/health", 200),
        ("second", "/v1/expenses", 401),
    ]
    assert any("Uvicorn running on" in line["event"] for line in lines)  # uvicorn's, as JSON
