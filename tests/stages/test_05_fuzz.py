"""Stage 5's fuzzing, end to end: the checker fuzzes a real API on PostgreSQL.

Reference 4, with its own 5xx fixed (tests/stages/planted_fuzz.py), stands in for a
correct app; the same with defects planted at once fails each fuzz check, within the
default budget, with a curl line a learner can paste. Two checker runs, only the fuzz
checks.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import require_postgres, run_checker
from tests.stages import planted_fuzz

pytestmark = pytest.mark.slow
REQUIRED = (
    "05-quality/fuzz-no-server-errors",
    "05-quality/fuzz-responses-match-schema",
    "05-quality/fuzz-routes-need-a-token",
)
ADVISORY = ("05-quality/fuzz-documented-status", "05-quality/fuzz-valid-data-accepted")
ONLY = [arg for check_id in REQUIRED + ADVISORY for arg in ("--only", check_id)]


@pytest.fixture
def fixed_reference_4(reference, copy_of):
    require_postgres()
    return planted_fuzz.apply(copy_of(reference(4)), planted_fuzz.CLEAN)


def test_a_correct_api_passes_and_the_notes_say_finding_nothing_is_no_proof(
    fixed_reference_4, tmp_path
):
    run = run_checker(
        fixed_reference_4, tmp_path / "report", "--stage", "5", *ONLY, "--fuzz-budget", "10"
    )

    statuses = run.statuses()
    assert {check_id: statuses[check_id] for check_id in REQUIRED} == dict.fromkeys(
        REQUIRED, "pass"
    ), run.stdout
    (note,) = [n for n in run.results["notes"] if n.startswith("Fuzzing")]
    assert "--fuzz-budget 10 s" in note and "that is not a proof" in note


def test_each_fuzz_check_finds_its_planted_defect_within_the_default_budget(
    fixed_reference_4, tmp_path
):
    broken = planted_fuzz.apply(fixed_reference_4, planted_fuzz.ALL_AT_ONCE)

    run = run_checker(broken, tmp_path / "report", "--stage", "5", *ONLY, "--seed", "5")

    assert run.failed() == set(REQUIRED + ADVISORY), run.stdout
    assert run.exit_code == 1
    crash = run.message("05-quality/fuzz-no-server-errors")
    assert "answered with a 5xx" in crash
    # the first of its findings, or a later one: which route the fuzzer reaches first
    # depends on the machine's pace
    assert ". PATCH /v1/expenses/{expense_id} answered 500: a server error" in crash
    assert "curl -i -X PATCH http://127.0.0.1:8000/v1/expenses/" in crash
    assert '-H "authorization: Bearer $TOKEN_FUZZER"' in crash
    # The server's traceback, cut to the learner's own frame and the exception.
    assert 'File "expense_tracker/api/routes/expenses.py"' in crash and "KeyError" in crash
    off_schema = run.message("05-quality/fuzz-responses-match-schema")
    assert "GET /v1/expenses/{expense_id} answered 200 with a body off its schema" in off_schema
    no_token = run.message("05-quality/fuzz-routes-need-a-token")
    assert "GET /v1/expenses/{expense_id} answered 200 without a valid token" in no_token
    # the request without a token, alone or after the ones that made the record (stateful)
    assert re.search(r"^curl -i http://127\.0\.0\.1:8000/v1/expenses/\d+$", no_token, re.M)
    undocumented = run.message("05-quality/fuzz-documented-status")
    # a 404 on every route, or a 403 (GET /v1/users), among the first five it shows
    assert re.search(r"answered 40[34], a status it does not document", undocumented)
    refused = run.message("05-quality/fuzz-valid-data-accepted")
    assert "POST /v1/expenses refused a request its own schema allows, with 422" in refused
    for check_id in REQUIRED + ADVISORY:
        assert "eyJ" not in run.message(check_id)  # no real token is ever shown
    (note,) = [n for n in run.results["notes"] if n.startswith("Fuzzing")]
    assert "--fuzz-budget 30 s" in note and "not a proof" not in note
