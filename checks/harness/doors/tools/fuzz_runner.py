"""The fuzzer itself: schemathesis against the learner's server, in a process of its own.

`python -m checks.harness.doors.tools.fuzz_runner FOUND.json < ORDER.json` runs in the
checker's own environment (schemathesis is the checker's dependency, pinned, never the
learner's) and writes what it found as JSON. A process of its own because fuzzing is CPU
work (it can use the core the checker's main process leaves idle), Hypothesis keeps
global state, and a run past its time box is ended by killing it, whatever it is doing.

It warms up first (`warm_up`), while the checker starts the learner's server, then reads
the order (fuzz.py writes it): the tightened OpenAPI document, where the server listens,
the login, the seed, the time box and the checks to run. Nothing is read from the current
folder: the configuration is built here, never discovered from a `schemathesis.toml`, and
nothing found before is replayed (no example database, no cache of earlier answers).
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

MAX_PER_CHECK = 5  # different failures kept per check: enough to see the pattern
BODY_CHARS = 400  # what a finding keeps of the answer's body
# One request at a time. With two, a PATCH and a DELETE of the same record could meet
# mid-update and the server answer 500 (seen once on reference 6: SQLAlchemy's
# StaleDataError): a race the curl line cannot reproduce alone, failed on one run and
# passed on the next. A verdict must be the same for the same seed, and must send the
# learner after a bug they can see. Measured on reference 5, seeds 1 and 2: 795 and 1114
# requests in 30 s with one worker, 844 and 746 with two (the server is the bottleneck).
WORKERS = 1
PHASES_GRACE = 40.0  # seconds past the budget the phases before fuzzing may run (see run)
# Seconds past the time box the request or scenario under way may take before the
# watchdog ends the run with what it found: well inside fuzz.RUNNER_SLACK - PHASES_GRACE.
EVENT_GRACE = 5.0
HASHING_EXAMPLES = 10  # requests per round to a route that hashes a password


def config_data(order: dict[str, Any]) -> dict[str, Any]:
    """schemathesis' configuration (as its TOML file would say it) for this order."""
    checks = {name: {"enabled": True} for name in order["checks"]}  # and none other
    return {
        "seed": order["seed"],
        "max-time": max(1, round(order["budget"])),
        "base-url": order["base_url"],
        "headers": {"Authorization": f"Bearer {order['token']}"} if order["token"] else {},
        "workers": order.get("workers", WORKERS),
        "request-timeout": order.get("request_timeout", 10),
        "suppress-health-check": ["all"],  # a slow or picky API is what we are here to test
        # A route's first failure must not end its testing: an undocumented 404 (advisory)
        # would otherwise hide the 500 a later request finds (required).
        "continue-on-failure": True,
        # No example database (nothing replayed from an earlier run), and every request
        # carries the login: a made-up Authorization header only earns a 401.
        "generation": {"database": "none", "with-security-parameters": False},
        "cache": {"enabled": False},  # nor its cache of the API's earlier answers
        # The document's order, which puts the records' routes first (fuzz_schema.py).
        "phases": {
            "examples": {"operation-ordering": "none"},
            "coverage": {"operation-ordering": "none"},
            "fuzzing": {"operation-ordering": "none"},
        },
        "checks": {"enabled": False, **checks},
        "output": {"sanitization": {"enabled": False}},  # fuzz.py hides the token itself
        "warnings": False,
        "operations": [_sparingly(method, path) for method, path in order.get("hashing", [])],
    }


def _sparingly(method: str, path: str) -> dict[str, Any]:
    """A route that hashes a password (sign-up, log-in) costs the server a quarter of a
    CPU second a request, seconds on a busy machine: a few generated requests, and none
    of the coverage phase's dozens, nor the learner's example user signed up again."""
    return {
        "include-name": f"{method} {path}",  # both at once (path and method apart match either)
        "phases": {"examples": {"enabled": False}, "coverage": {"enabled": False}},
        "generation": {"max-examples": HASHING_EXAMPLES},
    }


def run(order: dict[str, Any], found_file: Path | None = None) -> dict[str, Any]:
    """Fuzz as the order says and return what was found. With `found_file`, a watchdog
    writes what was found so far there and ends the process once the time box is past
    by EVENT_GRACE, however long the request or scenario under way takes."""
    import schemathesis
    from schemathesis.engine import events, from_schema

    progress = _Progress(time.monotonic(), order)
    config = schemathesis.Config.from_dict(config_data(order))
    schema = schemathesis.openapi.from_dict(order["document"], config=config)
    # schemathesis' max-time ends the fuzzing phase; the examples and coverage phases do
    # not look at it, and on a busy machine they alone can outlast the budget. They may
    # take PHASES_GRACE more (they find most planted bugs); past that the run stops between
    # events with what it found, before the checker's own deadline (fuzz.RUNNER_SLACK),
    # or, in the middle of an event, by the watchdog.
    grace = float(order.get("phases_grace", PHASES_GRACE))
    time_box = progress.began + float(order["budget"]) + grace
    if found_file is not None:
        progress.watch(found_file, time_box + EVENT_GRACE - time.monotonic())
    for event in from_schema(schema).execute():
        with progress.lock:
            if time.monotonic() > time_box:
                progress.stop_reason = "time box"
                break
            if isinstance(event, events.ScenarioFinished | events.FuzzScenarioFinished):
                progress.record(event)
            elif isinstance(event, events.NonFatalError):
                progress.errors.append(f"{event.label}: {_first_line(str(event.value))}")
            elif isinstance(event, events.FatalError):
                progress.errors.append(_first_line(str(event.exception)))
                progress.stop_reason = "error"
            elif isinstance(event, events.EngineFinished):
                progress.stop_reason = event.stop_reason.value
    with progress.lock:
        progress.done = True  # the watchdog, if it fires now, leaves the writing to main
        return progress.result()


class _Progress:
    """What a run found so far, shared by the loop over schemathesis' events and the
    watchdog that may end the run in the middle of one."""

    def __init__(self, began: float, order: dict[str, Any]) -> None:
        self.began = began
        self.lock = threading.Lock()
        self.found: dict[str, list[dict[str, Any]]] = {name: [] for name in order["checks"]}
        self.seen: set[tuple[str, str, str]] = set()
        self.requests = 0
        self.timing: dict[str, list[float]] = {}  # requests and seconds by operation
        self.stop_reason = "completed"
        self.errors: list[str] = []
        self.done = False

    def record(self, event: Any) -> None:
        """A finished scenario: its requests, its time, and its failures not seen yet."""
        self.requests += len(event.recorder.interactions)
        spent = self.timing.setdefault(event.recorder.label, [0, 0.0])
        spent[0] += len(event.recorder.interactions)
        spent[1] = round(spent[1] + event.elapsed_time, 2)
        for finding in _findings(event.recorder):
            key = (finding["check"], finding["operation"], finding["title"])
            kept = self.found.setdefault(finding["check"], [])
            if key not in self.seen and len(kept) < MAX_PER_CHECK:
                self.seen.add(key)
                kept.append(finding)

    def result(self) -> dict[str, Any]:
        import schemathesis

        return {
            "version": schemathesis.__version__,
            "seconds": round(time.monotonic() - self.began, 1),
            "requests": self.requests,
            "stop_reason": self.stop_reason,
            "errors": self.errors[:5],
            "timing": self.timing,
            "found": self.found,
        }

    def watch(self, found_file: Path, seconds: float) -> None:
        """After `seconds`, write the result so far to `found_file` and end the process."""

        def give_up() -> None:
            with self.lock:
                if self.done:
                    return
                self.stop_reason = "time box"
                found_file.write_text(json.dumps(self.result()), "utf-8")
                sys.stdout.flush()
                os._exit(0)

        timer = threading.Timer(max(0.0, seconds), give_up)
        timer.daemon = True
        timer.start()


def _findings(recorder: Any) -> Iterator[dict[str, Any]]:
    """Each failed check of each case the scenario recorded, with schemathesis' own
    reproduction (a curl line) and what the server answered."""
    for case_id, checks in recorder.checks.items():
        for check in checks:
            info = check.failure_info
            if info is None:
                continue
            failure = info.failure
            interaction = recorder.interactions.get(case_id)
            response = interaction.response if interaction is not None else None
            yield {
                "check": check.name,
                "operation": failure.operation or recorder.label,
                "title": failure.title,
                "message": failure.message,
                "curl": info.code_sample,
                "status": response.status_code if response is not None else None,
                "body": _body(response),
            }


def _body(response: Any) -> str:
    if response is None or not response.content:
        return ""
    text: str = response.content[: BODY_CHARS * 2].decode("utf-8", errors="replace")
    return text[:BODY_CHARS]


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), text)[:300]


def warm_up() -> None:
    """Everything a run needs loaded, before the order comes: schemathesis imports most of
    its modules (hundreds) only when it first generates, sends and checks, and that would
    count against the time box. A few requests to a server in this process, which the
    checker's own server start and login overlap."""
    import schemathesis
    from schemathesis.engine import from_schema

    with _WarmUpServer() as base_url:
        order = {
            "document": WARM_UP,
            "base_url": base_url,
            "token": "warm-up",
            "seed": 0,
            "budget": 1,
            "checks": ["not_a_server_error", "response_schema_conformance", "ignored_auth"],
        }
        data = config_data(order)
        del data["max-time"]  # a handful of examples, however long they take
        data["generation"]["max-examples"] = 2
        config = schemathesis.Config.from_dict(data)
        for _ in from_schema(schemathesis.openapi.from_dict(WARM_UP, config=config)).execute():
            pass


ITEM = {
    "type": "object",
    "properties": {
        "n": {"type": "number", "minimum": 0.01, "maximum": 9, "multipleOf": 0.01},
        "s": {"type": "string", "pattern": "^[a-z]+$", "maxLength": 5},
    },
}
WARM_UP = {
    "openapi": "3.1.0",
    "info": {"title": "warm-up", "version": "1"},
    "paths": {
        "/items": {
            "post": {
                "security": [{"Bearer": []}],
                "requestBody": {"content": {"application/json": {"schema": ITEM}}},
                "responses": {"201": {"description": "made"}},
            }
        },
        "/items/{id}": {
            "get": {
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
                ],
                "responses": {
                    "200": {"description": "it", "content": {"application/json": {"schema": ITEM}}}
                },
            }
        },
    },
    "components": {"securitySchemes": {"Bearer": {"type": "http", "scheme": "bearer"}}},
}


class _WarmUpServer:
    """An HTTP server in a thread of this process that answers every request alike."""

    def __enter__(self) -> str:
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        class Answer(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                self.rfile.read(int(self.headers.get("content-length") or 0))
                body = b'{"n": 1, "s": "a"}'
                self.send_response(201 if self.command == "POST" else 200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def main(argv: list[str]) -> int:
    """Warm up first, then read the order from stdin: the checker starts this process
    before its server is up, so the warm-up overlaps the server's start and the login
    instead of counting against the time box."""
    (found_file,) = (Path(arg) for arg in argv)
    warm_up()
    print("ready", flush=True)  # the checker sends the order, and times the fuzzing, now
    order = json.loads(sys.stdin.read())
    found_file.write_text(json.dumps(run(order, found_file)), "utf-8")
    # A run stopped at its time box leaves schemathesis' worker threads mid-request:
    # nothing of theirs is wanted, so the process ends without waiting for them.
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
