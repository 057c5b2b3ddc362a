"""Fuzzing the learner's API (stage 5): one schemathesis run per checker run, beside the checks.

The run is a preparation step (shared.Steps, ADR 0015) that the checker's main process
starts as soon as the database template exists, so its time box overlaps the other
checks instead of adding to them; the five fuzz checks wait for its outcome and read
their part of it. The step:

1. starts a server of its own on a throw-away copy of the database (the fuzzer's records
   and users disturb no check), signs up an ordinary user and logs in, and adds a few
   records of that user's (so reading routes have something to answer with);
2. reads the server's /openapi.json and tightens it with the manifest (fuzz_schema.py);
3. runs schemathesis, pinned in the checker's own environment, in a process of its own
   (fuzz_runner.py) for `--fuzz-budget` seconds, with a seed derived from the run's seed
   and without any example database (nothing replayed from an earlier run);
4. keeps, for each check, the first findings as curl lines a learner can paste, and the
   tracebacks the server printed.

Where the fuzzer reaches the server is `target()`, one place: today a TCP port on
127.0.0.1 (server.py); when learner servers move to a Unix socket in a network namespace
of their own, a small relay from a local port to that socket keeps the fuzzer unchanged
(requests, under schemathesis, speaks TCP only; its sessions cannot be handed a transport
of ours without reaching into schemathesis' internals).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checks.harness import netns, shared
from checks.harness.doors.http.accounts import new_user
from checks.harness.doors.http.resource import OPENAPI, LearnerApi
from checks.harness.doors.storage import Storage
from checks.harness.doors.tools.fuzz_findings import Finding, shown_curl, tracebacks
from checks.harness.doors.tools.fuzz_outcome import CHECKS, FUZZ, Fuzzed
from checks.harness.doors.tools.fuzz_schema import tighten
from checks.harness.failure import Blocked, CheckFailed, shown_output
from checks.harness.manifest import Manifest
from checks.harness.transcript import Transcript
from checks.harness.values import ValueMaker
from checks.harness.workspace import Workspace

FROM_STAGE = 5
SERVER_STARTS = "03-api/server-starts"
INSTALLS = "01-cli/installs"
RUNNER = "checks.harness.doors.tools.fuzz_runner"
RUNNER_SLACK = 60.0  # reading the document, the phases' grace, the last requests
# Seconds the runner may take to import schemathesis and warm up, which it does while the
# checker starts the server and logs in: seconds alone, a minute on a machine at a load of
# ten. The fuzzing's own bound counts from the moment it says it is ready.
WARM_UP_BOUND = 120.0
OWN_RECORDS = 3  # the fuzzer's user starts with these, so GET and PATCH find something
REQUEST_TIMEOUT = 10  # seconds one request may take: as the checks' own client
PR_SET_PDEATHSIG = 1
KEEP_ENV = "ROADMAP_FUZZ_KEEP"  # a folder to keep each fuzz run's order and outcome in


def wanted(check_ids: set[str], stage: int) -> bool:
    """Whether this run fuzzes: stage 5 is graded, and a fuzz check is selected."""
    return stage >= FROM_STAGE and bool(check_ids & set(CHECKS))


def fuzz_seed(run_seed: int) -> int:
    """The fuzzer's seed: fixed by the run's, so `--seed` repeats what it generates."""
    return zlib.crc32(f"fuzz-{run_seed}".encode())


def start(
    steps: shared.Steps,
    workspace: Workspace,
    manifest: Manifest,
    *,
    needs: list[str],
    state: Path,
    seed: int,
    budget: float,
    timeout: float,
    installed: Callable[[], bool],
) -> threading.Thread:
    """Plan the fuzz step and start it in a thread of the checker's main process; it
    begins once the steps in `needs` (the install, the database template) are done, and
    is blocked by the install when `installed()` says it failed."""
    steps.plan(FUZZ, needs=needs)
    order = Order(workspace, manifest, state, fuzz_seed(seed), budget, timeout, installed)
    bound = WARM_UP_BOUND + budget + RUNNER_SLACK + timeout * 4
    return steps.start(FUZZ, order.run, bound=bound)


@dataclass(frozen=True)
class Order:
    """What one fuzz step needs to know."""

    workspace: Workspace
    manifest: Manifest
    state: Path
    seed: int
    budget: float
    timeout: float
    installed: Callable[[], bool]

    def run(self) -> dict[str, Any]:
        began = time.monotonic()
        if not self.installed():
            raise Blocked(INSTALLS, "your project did not install")
        with Fuzzer(self.state / "fuzz-found.json") as fuzzer:  # importing, meanwhile
            transcript = Transcript()
            storage = Storage.fresh(self.workspace, self.manifest)  # the fuzzer's own database
            api = LearnerApi.serve(self.manifest, self.workspace, storage, transcript, self.timeout)
            try:
                api.start()
            except CheckFailed as failure:
                raise failure.of_step(SERVER_STARTS) from None
            try:
                token = _log_in(api)
                document = _document(api.with_auth(token))
                _add_own_records(api.with_auth(token), self.seed)
                tightened = tighten(document, self.manifest)
                mark = api.served.server.mark()
                found = fuzzer.run(self._order(tightened.document, target(api), token))
                _require_requests_sent(found)
                own = (self.manifest.package_name, *self.manifest.quality.source)
                output = api.served.server.lines_since(mark)
                said = tracebacks(output, own)
                _keep(f"server-{self.seed}-{os.getpid()}.log", "\n".join(output))
            finally:
                api.stop()
        fuzzed = Fuzzed(
            budget=self.budget,
            seed=self.seed,
            version=str(found.get("version", "")),
            seconds=float(found.get("seconds", 0.0)),
            requests=int(found.get("requests", 0)),
            found={
                check: [Finding.from_data(_shown(f, target(api), token)) for f in findings]
                for check, findings in (found.get("found") or {}).items()
            },
            lines=tuple(transcript.lines()),
            server_said=tuple(said),
            changes=tuple(tightened.changes),
            errors=tuple(found.get("errors") or ()),
            step_seconds=round(time.monotonic() - began, 1),
        )
        return fuzzed.to_data()

    def _order(self, document: dict[str, Any], base_url: str, token: str | None) -> dict[str, Any]:
        return {
            "document": document,
            "base_url": base_url,
            "token": token,
            "seed": self.seed,
            "budget": self.budget,
            "checks": list(CHECKS.values()),
            "request_timeout": REQUEST_TIMEOUT,
            "hashing": _hashing_routes(self.manifest),
        }


class Fuzzer:
    """fuzz_runner.py in a process of its own, started before the order is known (it
    imports schemathesis while the server starts), bounded by the budget and slack."""

    def __init__(self, found_file: Path) -> None:
        self.found_file = found_file
        argv = [sys.executable, "-m", RUNNER, str(found_file)]
        network = netns.run_network_path()  # where the learner's server listens

        def prepare() -> None:
            _die_with_the_checker()
            netns.enter_in_child(network)

        self.process = subprocess.Popen(
            argv,
            cwd=found_file.parent,  # the checker's own folder: nothing to discover there
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,  # one line, "ready", once warmed up
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=prepare,
        )

    def run(self, order: dict[str, Any]) -> dict[str, Any]:
        budget = float(order["budget"])
        self._await_warm_up()
        try:
            _, stderr = self.process.communicate(json.dumps(order), timeout=budget + RUNNER_SLACK)
        except subprocess.TimeoutExpired:
            raise CheckFailed(
                f"fuzzing did not end within {budget + RUNNER_SLACK:.0f} s",
                expected=f"fuzzing to stop after its time box of {budget:g} s",
                fix="a request your server never answers keeps the fuzzer waiting: look "
                "for a route that can block forever",
            ) from None
        if self.process.returncode != 0 or not self.found_file.is_file():
            raise RuntimeError(f"the fuzzer failed: {shown_output(stderr, 800)}")
        found: dict[str, Any] = json.loads(self.found_file.read_text("utf-8"))
        kept = {**found, "order": {**order, "token": None}}
        _keep(f"fuzz-{order['seed']}-{os.getpid()}.json", json.dumps(kept))
        return found

    def _await_warm_up(self) -> None:
        """Wait until the runner says it is ready, while it lives, at most WARM_UP_BOUND:
        the time box is the fuzzing's, never its imports' on a busy machine."""
        stdout = self.process.stdout
        assert stdout is not None
        until = time.monotonic() + WARM_UP_BOUND
        while (left := until - time.monotonic()) > 0 and select.select([stdout], [], [], left)[0]:
            said = stdout.readline()
            if said.strip() == "ready":
                return
            if not said:
                break  # the runner ended: its stderr says why
        if self.process.poll() is None:
            raise RuntimeError(
                f"the fuzzer was not ready within {WARM_UP_BOUND:.0f} s: this machine is too "
                "busy to fuzz; run the checker again when it is quieter"
            )
        _, stderr = self.process.communicate()
        raise RuntimeError(f"the fuzzer failed: {shown_output(stderr, 800)}")

    def __enter__(self) -> Fuzzer:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


def _require_requests_sent(found: dict[str, Any]) -> None:
    """A fuzzer that could not load the document, or reached no route, found nothing
    because it tried nothing: that is a failure of every fuzz check, never a pass."""
    if found.get("stop_reason") != "error" and found.get("requests"):
        return
    said = "; ".join(found.get("errors") or []) or "it sent no request"
    raise CheckFailed(
        "the fuzzer could not test your API",
        ran="GET /openapi.json, then requests to the routes it lists",
        got=said,
        expected="a document schemathesis can read, with routes that answer",
        fix="open http://127.0.0.1:8000/docs: each route must show there; a route whose "
        "schema uses a construct schemathesis rejects is named above",
    )


def target(api: LearnerApi) -> str:
    """Where the fuzzer sends its requests: the one place that knows how it reaches the
    learner's server (see the module's docstring)."""
    return api.served.url


def _hashing_routes(manifest: Manifest) -> list[tuple[str, str]]:
    """The routes that hash a password on every request: sign-up and log-in."""
    auth = manifest.auth
    return [("POST", auth.register), ("POST", auth.token)] if auth else []


def _log_in(api: LearnerApi) -> str | None:
    """An ordinary user's token (none when the project has no logins): the fuzzer acts
    as a learner's user would, never as the admin."""
    if api.manifest.auth is None:
        return None
    return new_user(api, "fuzzer").token


def _document(api: LearnerApi) -> dict[str, Any]:
    """The learner's /openapi.json (read quietly: a learner pastes no line for it)."""
    try:
        return api.with_transcript(Transcript()).document()
    except CheckFailed as failure:
        raise failure.of_step(OPENAPI) from None


def _add_own_records(api: LearnerApi, seed: int) -> None:
    """A few records of the fuzzer's user. An answer that is not 2xx is left for the
    fuzzer to find again: here it would be blamed on the wrong check."""
    values = ValueMaker(seed)
    for _ in range(OWN_RECORDS):
        with contextlib.suppress(CheckFailed):
            api.create(values.record(api.manifest.fields))


def _shown(finding: dict[str, Any], base_url: str, token: str | None) -> dict[str, Any]:
    return {**finding, "curl": shown_curl(str(finding.get("curl") or ""), base_url, token)}


def _keep(name: str, text: str) -> None:
    """For benchmarks/fuzz_detection.py: where the time went (by route) and what the server
    printed, in the folder ROADMAP_FUZZ_KEEP names; nothing without it."""
    kept = os.environ.get(KEEP_ENV)
    if kept:
        Path(kept).mkdir(parents=True, exist_ok=True)
        (Path(kept) / name).write_text(text, "utf-8")


def _die_with_the_checker() -> None:
    """The fuzzer ends with the checker, even one that is killed."""
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
