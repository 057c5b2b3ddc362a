"""The fuzz run's outcome (doors/tools/fuzz.py), as the checks and the run's notes read it.

The step runs in the checker's main process and stores its outcome as JSON in the run's
state (shared.Steps); every worker reads it back here, and the main process reads it
once more, at the end, for the note that says how much the fuzzer tried.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from checks.harness import shared
from checks.harness.doors.tools.fuzz_findings import Finding

FUZZ = "fuzz"  # the step's name
# The schemathesis checks the fuzz checks read, by the id of the check that reads each.
CHECKS = {
    "05-quality/fuzz-no-server-errors": "not_a_server_error",
    "05-quality/fuzz-responses-match-schema": "response_schema_conformance",
    "05-quality/fuzz-routes-need-a-token": "ignored_auth",
    "05-quality/fuzz-documented-status": "status_code_conformance",
    "05-quality/fuzz-valid-data-accepted": "positive_data_acceptance",
}
REQUIRED = ("not_a_server_error", "response_schema_conformance", "ignored_auth")


@dataclass(frozen=True)
class Fuzzed:
    """The fuzz run's outcome, as every check reads it."""

    budget: float
    seed: int
    version: str
    seconds: float  # the fuzzer's own run, from start to its report
    requests: int
    found: dict[str, list[Finding]]  # by schemathesis check
    lines: tuple[str, ...] = ()  # the lines that set the fuzzed server up and logged in
    server_said: tuple[str, ...] = ()  # tracebacks the server printed while fuzzed
    changes: tuple[str, ...] = ()  # how the checker tightened the document
    errors: tuple[str, ...] = ()  # what schemathesis could not do (not the learner's bugs)
    step_seconds: float = 0.0  # the whole step: server, login, fuzzing, teardown

    def of(self, check: str) -> list[Finding]:
        return self.found.get(check, [])

    def to_data(self) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}
        data["found"] = {k: [vars(f) for f in v] for k, v in self.found.items()}
        return data

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Fuzzed:
        fields = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        fields["found"] = {k: [Finding.from_data(f) for f in v] for k, v in data["found"].items()}
        for name in ("lines", "server_said", "changes", "errors"):
            fields[name] = tuple(fields.get(name, ()))
        return cls(**fields)


def outcome() -> Fuzzed:
    """The run's fuzzing, waited for (its failure, such as a server that did not start,
    is raised as the step's)."""
    return Fuzzed.from_data(shared.steps().wait(FUZZ))


def note(steps: shared.Steps) -> str | None:
    """What the run notes say about the fuzzing, once it is done: how much it tried, and
    that finding nothing is not a proof (None when it did not run to its end)."""
    try:
        data = steps.peek(FUZZ)
    except shared.NotPlanned:  # this run did not fuzz
        return None
    if data is None:
        return None
    fuzzed = Fuzzed.from_data(data)
    tried = (
        f"Fuzzing: schemathesis {fuzzed.version} sent {fuzzed.requests} requests within "
        f"--fuzz-budget {fuzzed.budget:g} s (fuzzer seed {fuzzed.seed}; the whole step, its "
        f"own server and login included, took {fuzzed.step_seconds:.0f} s beside the checks)"
    )
    required = [name for name in REQUIRED if fuzzed.of(name)]
    if required:
        return f"{tried}; the fuzz checks below show what it found."
    return (
        f"{tried} and found no 5xx, no answer off its schema and no route that skips its "
        f"login: that is not a proof, only that {fuzzed.budget:g} s of trying found none."
    )
