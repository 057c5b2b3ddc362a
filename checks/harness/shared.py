"""Work that several checks read, done once per run, and its state: the one owner of it.

Checks run in parallel worker processes, so "once" and "its state" live in the checker's
private state folder, outside the workspace (no learner program can write what the
checker reads back). Two kinds of shared work:

- **Steps** the checker starts itself before the checks, in threads of its main process
  (`Steps`: installing the project, building the database, adding the first records). Each
  is *planned* before any worker starts, with the steps it needs; then it runs and ends
  done (with a value) or failed (with the learner-facing failure, whatever it raised). A
  check that needs a step waits only while the step can still finish: it is told at once
  when the step, or a step it needs, has failed, and a step running past its own bound is
  a failure too. Nothing waits on work that has already failed, or on a fixed timer.
- **Lazy work** the first check that asks does (`once`: the learner's suite), under a file
  lock; later callers wait on the lock (bounded by the work's own timeout) and read it.

A learner-facing failure is stored as data and raised again in every process that reads
it, naming the check that grades the step (ADR 0009: the others are blocked by it).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from checks.harness.failure import CheckFailed

FAILURE_FIELDS = ("problem", "ran", "got", "expected", "fix", "step", "try_lines")
PLANNED, RUNNING, DONE, FAILED = "planned", "running", "done", "failed"
POLL = 0.02  # seconds between looks at a step's state: a file read, nearly free
SLACK = 30.0  # past a step's own bound, before a waiter gives up on it


class NotPlanned(RuntimeError):
    """A check asked for a step the run never planned: a bug of the checker's."""


class Steps:
    """The run's preparation steps, in its state folder, as every process sees them."""

    def __init__(self, state: Path) -> None:
        self.state = state

    # The checker's main process -------------------------------------------------------

    def plan(self, name: str, needs: Iterable[str] = (), grader: str | None = None) -> None:
        """Announce a step before any worker can ask for it; `grader` is the check that
        grades it, named in the failure a waiter meets if the step never finishes."""
        record = {"state": PLANNED, "needs": list(needs), "grader": grader, "owner": os.getpid()}
        publish(self._file(name), record)

    def done(self, name: str, value: Any) -> None:
        publish(self._file(name), {"state": DONE, "value": value})

    def fail(self, name: str, failure: CheckFailed) -> None:
        publish(self._file(name), {"state": FAILED, "failure": failure_data(failure)})

    def run(self, name: str, work: Callable[[], Any], bound: float) -> None:
        """Do a planned step here and now, once the steps it needs are done: it ends done
        or failed whatever happens (a step that raised must not leave anyone waiting).
        A step whose need failed fails with that failure: it is blocked by the same step.
        `bound` is how long the work itself may take, in seconds."""
        record = self._read(name)
        try:
            for need in record.get("needs", []):
                self.wait(need)
            publish(self._file(name), {**record, "state": RUNNING, "until": time.time() + bound})
            self.done(name, work())
        except CheckFailed as failure:
            self.fail(name, failure)
        except BaseException as error:  # the checker's own bug: said, never waited for
            crashed = CheckFailed(f"the checker could not prepare {name}: {error!r}")
            crashed.step = record.get("grader")
            self.fail(name, crashed)
            if not isinstance(error, Exception):
                raise

    def start(self, name: str, work: Callable[[], Any], bound: float) -> threading.Thread:
        """`run` in a thread of its own (daemon: a stopped run does not wait for it)."""
        thread = threading.Thread(target=self.run, args=(name, work, bound), daemon=True)
        thread.name = f"step-{name}"
        thread.start()
        return thread

    # Any process of the run --------------------------------------------------------------

    def wait(self, name: str) -> Any:
        """The step's value once it is done; its failure (or a failed need's) at once."""
        while True:
            record = self._read(name)
            if record["state"] == DONE:
                return record.get("value")
            if record["state"] == FAILED:
                raise failure_from(record["failure"])
            self._give_up_if_hopeless(name, record)
            time.sleep(POLL)

    def peek(self, name: str) -> Any:
        """The step's value if it is done by now, else None; never waits."""
        record = self._read(name)
        return record.get("value") if record["state"] == DONE else None

    def settle(self, name: str) -> bool:
        """Wait until the step has ended, done or failed; whether it is done."""
        try:
            self.wait(name)
        except CheckFailed:
            return False
        return True

    def _give_up_if_hopeless(self, name: str, record: dict[str, Any]) -> None:
        for need in record.get("needs", []):
            if self._read(need)["state"] == FAILED:
                self.wait(need)  # raises that failure: this step will fail with it
        owner = record.get("owner")
        if isinstance(owner, int) and not _alive(owner):
            raise NotPlanned(f"the checker process that prepares {name} has ended")
        until = record.get("until")
        if isinstance(until, float) and time.time() > until + SLACK:
            raise CheckFailed(f"preparing {name} did not finish in time", step=record.get("grader"))

    def _read(self, name: str) -> dict[str, Any]:
        try:
            found: dict[str, Any] = json.loads(self._file(name).read_text("utf-8"))
        except FileNotFoundError:
            raise NotPlanned(f"no step {name!r} was planned for this run") from None
        return found

    def _file(self, name: str) -> Path:
        return self.state / f"step-{name}.json"


_steps: Steps | None = None  # this process's view of its run's steps


def use(state: Path) -> Steps:
    """Say where this process's run keeps its steps (the checker, and each worker)."""
    global _steps
    _steps = Steps(state)
    return _steps


def steps() -> Steps:
    if _steps is None:
        raise NotPlanned("the run's state folder is not known in this process")
    return _steps


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def once(state: Path, name: str, compute: Callable[[], Any]) -> Any:
    """`compute()`'s JSON-able result, computed by the first caller of this run only.

    A CheckFailed it raises is raised again to every caller, with the same details."""
    stored = state / f"{name}.json"
    with open(state / f"{name}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, even on a crash
        if not stored.is_file():
            try:
                kept = {"value": compute()}
            except CheckFailed as failure:
                kept = {"failure": failure_data(failure)}
            publish(stored, kept)
        kept = json.loads(stored.read_text("utf-8"))
    if "failure" in kept:
        raise failure_from(kept["failure"])
    return kept["value"]


def failure_data(failure: CheckFailed) -> dict[str, Any]:
    """A learner-facing failure as JSON-able data, for another process to raise again."""
    return {k: getattr(failure, k) for k in FAILURE_FIELDS}


def failure_from(data: dict[str, Any]) -> CheckFailed:
    """The failure `failure_data` wrote (fields it lacks are left empty)."""
    details = dict(data)
    lines = details.pop("try_lines", None) or []
    failure = CheckFailed(str(details.pop("problem")), **details)
    failure.try_lines = list(lines)
    return failure


def publish(path: Path, data: Any) -> None:
    """Write `data` as JSON to `path` so that it appears whole, never half-written: other
    processes of the run poll for it."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    partial.write_text(json.dumps(data), "utf-8")
    with contextlib.suppress(FileNotFoundError):
        partial.rename(path)
