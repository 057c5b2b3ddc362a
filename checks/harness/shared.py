"""Work that several checks read, done once per run by whichever worker asks first.

Checks run in parallel worker processes, so "once" needs the file system: the first
caller takes a lock in the checker's private state folder, does the work and writes its
result beside the lock; every later caller waits on the lock and reads that result. A
learner-facing failure is stored too, so a suite that hangs is waited for once, not once
per check that reads it.
"""

from __future__ import annotations

import fcntl
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from checks.harness.failure import CheckFailed

FAILURE_FIELDS = ("problem", "ran", "got", "expected", "fix", "step")


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


def failure_data(failure: CheckFailed) -> dict[str, str | None]:
    """A learner-facing failure as JSON-able data, for another process to raise again."""
    return {k: getattr(failure, k) for k in FAILURE_FIELDS}


def failure_from(data: dict[str, str | None]) -> CheckFailed:
    """The failure `failure_data` wrote (fields it lacks are left empty)."""
    details = dict(data)
    return CheckFailed(str(details.pop("problem")), **details)


def publish(path: Path, data: Any) -> None:
    """Write `data` as JSON to `path` so that it appears whole, never half-written: other
    processes of the run poll for it."""
    partial = path.with_name(f".{path.name}")
    partial.write_text(json.dumps(data), "utf-8")
    partial.rename(path)
