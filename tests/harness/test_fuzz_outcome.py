"""The fuzz step's outcome as the checks and the run's notes read it, from the run's state."""

from __future__ import annotations

import pytest

from checks.harness import shared
from checks.harness.doors.tools import fuzz, fuzz_outcome
from checks.harness.doors.tools.fuzz_findings import Finding
from checks.harness.doors.tools.fuzz_outcome import FUZZ, Fuzzed
from checks.harness.failure import CheckFailed

CRASH = Finding(
    check="not_a_server_error",
    operation="POST /v1/expenses",
    title="Server error",
    message="",
    curl="curl -i -X POST http://127.0.0.1:8000/v1/expenses",
    status=500,
    body="Internal Server Error",
)


def _fuzzed(**found: list[Finding]) -> Fuzzed:
    return Fuzzed(budget=30.0, seed=7, version="4.32.5", seconds=31.2, requests=412, found=found)


def test_the_outcome_reads_back_in_another_process_as_it_was_stored(tmp_path):
    steps = shared.Steps(tmp_path)
    steps.plan(FUZZ)
    stored = _fuzzed(not_a_server_error=[CRASH])
    steps.done(FUZZ, stored.to_data())  # JSON, as a worker reads it

    read = Fuzzed.from_data(shared.Steps(tmp_path).wait(FUZZ))

    assert read == stored and read.of("not_a_server_error") == [CRASH]
    assert read.of("ignored_auth") == []


def test_the_note_says_finding_nothing_is_not_a_proof(tmp_path):
    steps = shared.Steps(tmp_path)
    steps.plan(FUZZ)
    assert fuzz_outcome.note(steps) is None  # still running: no note, and no waiting
    steps.done(FUZZ, _fuzzed(status_code_conformance=[CRASH]).to_data())  # advisory only

    note = fuzz_outcome.note(steps)

    assert note is not None
    assert note.startswith("Fuzzing: schemathesis 4.32.5 sent 412 requests within")
    assert note.endswith("that is not a proof, only that 30 s of trying found none.")


def test_the_note_points_at_the_checks_when_the_fuzzer_found_something(tmp_path):
    steps = shared.Steps(tmp_path)
    steps.plan(FUZZ)
    steps.done(FUZZ, _fuzzed(not_a_server_error=[CRASH]).to_data())

    assert str(fuzz_outcome.note(steps)).endswith("the fuzz checks below show what it found.")


def test_a_run_that_did_not_fuzz_has_no_note(tmp_path):
    assert fuzz_outcome.note(shared.Steps(tmp_path)) is None


@pytest.mark.parametrize(
    ("found", "says"),
    [
        ({"stop_reason": "error", "requests": 0, "errors": ["Unresolvable reference"]}, "Unres"),
        ({"stop_reason": "max_time", "requests": 0, "errors": []}, "it sent no request"),
    ],
)
def test_a_fuzzer_that_tried_nothing_fails_the_checks_instead_of_passing_them(found, says):
    with pytest.raises(CheckFailed, match="the fuzzer could not test your API") as failed:
        fuzz._require_requests_sent(found)
    assert says in str(failed.value.got)


def test_the_fuzzers_seed_is_fixed_by_the_runs_seed():
    assert fuzz.fuzz_seed(4242) == fuzz.fuzz_seed(4242) != fuzz.fuzz_seed(4243)
