"""`[tool.roadmap.jobs]` (stage 7 on): how to start a job, run the worker, read a job's state.

A job is started by `POST start` with one of three payloads the learner writes in their
own domain (one that succeeds quickly, one that takes seconds, one that validates but
fails while processing), filled with fresh record values each run. The worker is a
command of the project's own. The status resource's words (`states`, the fields that hold
the state, the result, the error) are the learner's; the conventions are the defaults.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from checks.harness.manifest.fields import Field
from checks.harness.manifest.table import EXAMPLES, Table

STATES = ("queued", "running", "succeeded", "failed")  # the keys of `states`, fixed
PAYLOADS = ("succeeds", "slow", "fails")
MAX_STALLED = 120  # seconds: the worker-crash check waits this long at most for a lease
PLACEHOLDER = re.compile(r"\{(\w+)\}")
CSV_BODY = '{ csv = "amount,category\\n{amount},{category}\\n" }'

EXAMPLES |= {
    "jobs": 'start = "/v1/imports" under [tool.roadmap.jobs]',
    "jobs.start": 'start = "/v1/imports"',
    "jobs.worker": 'worker = ["expense-tracker", "worker"]',
    "jobs.status_field": 'status_field = "status"',
    "jobs.states": 'states = { queued = "queued", running = "running", succeeded = '
    '"succeeded", failed = "failed" }',
    "jobs.result_field": 'result_field = "result"',
    "jobs.error_field": 'error_field = "error"',
    "jobs.stalled_after": "stalled_after = 30",
    "jobs.succeeds": f"[tool.roadmap.jobs.succeeds] with body = {CSV_BODY}",
    "jobs.slow": "[tool.roadmap.jobs.slow] with body = "
    '{ csv = "amount,category\\n{amount},{category}\\n", delay_seconds = 3 }',
    "jobs.fails": "[tool.roadmap.jobs.fails] with body = "
    '{ csv = "amount,category\\nnot-a-number,{category}\\n" }',
    "body": f"body = {CSV_BODY}",
    "result": "result = { imported = 1 }",
}


@dataclass(frozen=True)
class Payload:
    """A job's input as the manifest writes it: a JSON object whose strings may hold
    `{field}` placeholders, and the result a finished job must show (None: any)."""

    body: dict[str, Any]
    result: Any = None


@dataclass(frozen=True)
class Jobs:
    start: str  # POST here starts a job: 202 and Location
    worker: tuple[str, ...]  # the command that takes jobs from the database
    succeeds: Payload
    slow: Payload
    fails: Payload
    status_field: str = "status"
    states: tuple[tuple[str, str], ...] = tuple((state, state) for state in STATES)
    result_field: str = "result"
    error_field: str = "error"
    stalled_after: int = 30  # seconds after which a job whose worker died is taken again

    def word(self, state: str) -> str:
        """The learner's word for one of STATES."""
        return dict(self.states)[state]

    def state_of(self, word: object) -> str | None:
        """Which of STATES the learner's `word` says, or None for a word not declared."""
        return next((state for state, said in self.states if said == word), None)


def read(table: Table, fields: dict[str, Field]) -> Jobs:
    start = table.get("start", str)
    if not start.startswith("/"):
        raise table.fail("start", f"must be a path that starts with /, not {start!r}")
    payloads = {name: _payload(table, name, fields) for name in PAYLOADS}
    stalled = table.get("stalled_after", int, 30)
    if not 1 <= stalled <= MAX_STALLED:
        raise table.fail("stalled_after", f"must be between 1 and {MAX_STALLED}, not {stalled}")
    return Jobs(
        start=start,
        worker=tuple(table.get("worker", list)),
        **payloads,
        status_field=table.get("status_field", str, "status"),
        states=_states(table),
        result_field=table.get("result_field", str, "result"),
        error_field=table.get("error_field", str, "error"),
        stalled_after=stalled,
    )


def _states(table: Table) -> tuple[tuple[str, str], ...]:
    declared = table.get("states", dict) if "states" in table else {}
    unknown = [key for key in declared if key not in STATES]
    if unknown:
        raise table.fail("states", f"has {unknown[0]!r}; its keys are {', '.join(STATES)}")
    words = {state: declared.get(state, state) for state in STATES}
    for state, word in words.items():
        if not (isinstance(word, str) and word.strip()):
            raise table.fail("states", f"{state} must be a non-empty string, not {word!r}")
    if len(set(words.values())) < len(STATES):
        raise table.fail("states", "gives two states the same word; each needs its own")
    return tuple(words.items())


def _payload(table: Table, name: str, fields: dict[str, Field]) -> Payload:
    if name not in table:
        raise table.fail(name, "is missing")
    payload = table.table(name)
    body = payload.get("body", dict)
    result = payload.data.get("result")
    for key, value in (("body", body), ("result", result)):
        wrong = [found for found in placeholders(value) if found not in fields]
        if wrong:
            raise payload.fail(
                key, f"names the field {wrong[0]!r}, but the fields are {', '.join(fields)}"
            )
    return Payload(body=body, result=result)


def placeholders(value: Any) -> list[str]:
    """Every `{name}` in the strings of `value`, however deep."""
    if isinstance(value, str):
        return PLACEHOLDER.findall(value)
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [name for item in value for name in placeholders(item)]
    return []
