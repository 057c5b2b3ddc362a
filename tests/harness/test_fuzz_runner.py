"""The fuzzer's own process: schemathesis, configured by the checker alone, against a server.

A small HTTP server of the test's own stands in for a learner's: one route crashes on
large numbers, one ignores the token it declares. The fuzzer is the real one, pinned, in
a process of its own, for a budget of a few seconds.
"""

import contextlib
import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from checks.harness.doors.tools.fuzz import RUNNER
from checks.harness.doors.tools.fuzz_outcome import CHECKS

TOKEN = "the-fuzzers-token"
BEARER = [{"Bearer": []}]
NUMBER = {"type": "integer", "minimum": 0, "maximum": 100}
ITEM = {"type": "object", "required": ["n"], "properties": {"n": NUMBER}}
DOCUMENT = {
    "openapi": "3.1.0",
    "info": {"title": "numbers", "version": "1"},
    "paths": {
        "/numbers": {
            "post": {
                "security": BEARER,
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": ITEM}},
                },
                "responses": {
                    "201": {
                        "description": "kept",
                        "content": {"application/json": {"schema": ITEM}},
                    },
                    "401": {"description": "log in"},
                    "422": {"description": "not a number"},
                },
            }
        },
        "/secret": {
            "get": {
                "security": BEARER,
                "responses": {"200": {"description": "a secret"}, "401": {"description": "log in"}},
            }
        },
    },
    "components": {"securitySchemes": {"Bearer": {"type": "http", "scheme": "bearer"}}},
}


class Numbers(BaseHTTPRequestHandler):
    """POST /numbers crashes past 50 (a bug behind a valid body); GET /secret never checks
    the token it declares."""

    def do_POST(self) -> None:
        if self.headers.get("authorization") != f"Bearer {TOKEN}":
            return self._answer(401, {"detail": "log in"})
        try:
            n = json.loads(self.rfile.read(int(self.headers.get("content-length") or 0)))["n"]
        except (ValueError, KeyError, TypeError):
            return self._answer(422, {"detail": "send {n}"})
        if not isinstance(n, int) or isinstance(n, bool) or not 0 <= n <= 100:
            return self._answer(422, {"detail": "n is 0 to 100"})
        if n > 50:
            return self._answer(500, {"detail": "crashed"})
        return self._answer(201, {"n": n})

    def do_GET(self) -> None:
        self._answer(200, {"secret": 42})

    def __getattr__(self, name: str) -> object:
        """Any other method answers 405, as FastAPI does (http.server would say 501)."""
        if name.startswith("do_"):
            return lambda: self._answer(405, {"detail": "Method Not Allowed"})
        raise AttributeError(name)

    def _answer(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:  # quiet
        pass


@contextlib.contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """`handler` on a free port of 127.0.0.1, in threads of this process: its base URL."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True  # a request still sleeping does not hold the shutdown
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def server() -> Iterator[str]:
    with serving(Numbers) as base_url:
        yield base_url


@dataclass(frozen=True)
class Fuzzed:
    found: dict[str, Any]
    seconds: float  # from "ready" (warmed up) to the end of the run


def _fuzz(tmp_path, base_url, budget, **more) -> Fuzzed:
    order = {
        "document": DOCUMENT,
        "base_url": base_url,
        "token": TOKEN,
        "seed": 7,
        "budget": budget,
        "checks": list(CHECKS.values()),
        **more,
    }
    found_file = tmp_path / "found.json"
    with subprocess.Popen(
        [sys.executable, "-m", RUNNER, str(found_file)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
    ) as runner:
        assert runner.stdin is not None and runner.stdout is not None
        runner.stdin.write(json.dumps(order))
        runner.stdin.close()
        while runner.stdout.readline().strip() not in ("ready", ""):
            pass  # a line a library printed while importing
        ready = time.monotonic()
        assert runner.wait(timeout=120) == 0
    return Fuzzed(json.loads(found_file.read_text()), time.monotonic() - ready)


def test_the_fuzzer_finds_a_crash_and_an_ignored_token_and_says_how_to_repeat_them(
    server, tmp_path
):
    found = _fuzz(tmp_path, server, budget=10).found

    (crash, *_) = found["found"]["not_a_server_error"]
    assert crash["operation"] == "POST /numbers" and crash["status"] == 500
    assert crash["curl"].startswith("curl -X POST") and server in crash["curl"]
    assert json.loads(crash["curl"].split("-d ")[1].split("'")[1])["n"] > 50
    (ignored, *_) = found["found"]["ignored_auth"]
    assert ignored["operation"] == "GET /secret" and TOKEN not in ignored["curl"]
    assert found["requests"] > 10
    assert found["stop_reason"] in ("max_time", "completed", "time box")
    assert found["version"] == "4.32.5"
    # Nothing that a later run would replay: no example database (Hypothesis keeps only
    # its Unicode tables there), no cache of the API's answers.
    assert not (tmp_path / ".hypothesis" / "examples").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) in (
        ["found.json"],
        [".hypothesis", "found.json"],
    )


class Stuck(Numbers):
    """Every request takes far longer than the fuzzer's time box (a busy machine's server,
    or a route that waits on a lock)."""

    def do_POST(self) -> None:
        time.sleep(STUCK_SECONDS)
        super().do_POST()


STUCK_SECONDS = 30


def test_a_request_past_the_time_box_ends_the_run_with_what_it_found(tmp_path):
    with serving(Stuck) as base_url:
        fuzzed = _fuzz(
            tmp_path, base_url, budget=1, phases_grace=1, request_timeout=STUCK_SECONDS * 2
        )

    assert fuzzed.found["stop_reason"] == "time box"
    assert fuzzed.found["found"].keys() == set(CHECKS.values())  # every check, found or not
    # once warmed up: the budget, the grace and the watchdog's; never the stuck request's
    assert fuzzed.seconds < STUCK_SECONDS - 5
