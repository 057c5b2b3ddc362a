"""Bounded waits on a job's state: they end as soon as the state is known.

A check asks the status resource again and again (`read`) until what it waits for holds
(`until`), the time it allows has passed (`bound`), or a worker it watches has ended: a
dead worker will move no job, so waiting on is waiting for nothing. Reading is cheap (one
GET), so the interval is short and the wait ends within a tenth of a second of the news.
A dead server needs no watching: the next read fails at once (the HTTP client says so).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from checks.harness.doors.jobs.worker import Worker

INTERVAL = 0.1  # seconds between two reads of the status resource

T = TypeVar("T")

DONE, BOUND, WORKER_ENDED = "done", "bound", "worker ended"


@dataclass(frozen=True)
class Waited(Generic[T]):
    last: T  # the last thing read
    why: str  # DONE, BOUND or WORKER_ENDED
    seconds: float  # how long the wait took
    worker: Worker | None = None  # the worker that ended, for WORKER_ENDED

    @property
    def done(self) -> bool:
        return self.why == DONE


def wait(
    read: Callable[[], T],
    until: Callable[[T], bool],
    bound: float,
    watched: Sequence[Worker] = (),
) -> Waited[T]:
    """Read until `until(read())` holds, at most `bound` seconds, or until a watched
    worker has ended (read once more first: it may have recorded the outcome as it went)."""
    began = time.monotonic()
    while True:
        last = read()
        seconds = time.monotonic() - began
        if until(last):
            return Waited(last, DONE, seconds)
        ended = next((worker for worker in watched if not worker.alive()), None)
        if ended is not None:
            last = read()
            why = DONE if until(last) else WORKER_ENDED
            return Waited(last, why, time.monotonic() - began, ended)
        if seconds >= bound:
            return Waited(last, BOUND, seconds)
        time.sleep(min(INTERVAL, max(0.0, bound - seconds)))
