"""What the fuzzer found, shown as a learner reads it: a curl line to paste and one reason."""

import json

from checks.harness.doors.tools.fuzz_findings import (
    Finding,
    failure,
    shown_curl,
    tracebacks,
    try_lines,
)

PORT_URL = "http://127.0.0.1:41234"
TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI3In0.c2lnbmF0dXJl"


def _finding(check="not_a_server_error", **changes):
    fields = {
        "check": check,
        "operation": "POST /v1/expenses",
        "title": "Server error",
        "message": "",
        "curl": "curl -i -X POST http://127.0.0.1:8000/v1/expenses",
        "status": 500,
        "body": "Internal Server Error",
    }
    return Finding(**{**fields, **changes})


def test_a_reproduction_shows_the_learners_port_and_hides_the_token():
    curl = (
        f"curl -X POST -H 'Authorization: Bearer {TOKEN}' -H 'Content-Type: application/json' "
        f"""-d '{{"amount": 9999.99, "category": "0"}}' {PORT_URL}/v1/expenses"""
    )

    assert shown_curl(curl, PORT_URL, TOKEN) == (
        "curl -i -X POST http://127.0.0.1:8000/v1/expenses "
        '-H "authorization: Bearer $TOKEN_FUZZER" '
        """-H 'content-type: application/json' -d '{"amount": 9999.99, "category": "0"}'"""
    )


def test_a_get_reproduction_names_no_method_and_keeps_its_query():
    curl = f"curl -X GET '{PORT_URL}/v1/expenses?offset=9223372036854775808'"

    assert shown_curl(curl, PORT_URL, None) == (
        "curl -i 'http://127.0.0.1:8000/v1/expenses?offset=9223372036854775808'"
    )


def test_a_failure_found_by_a_sequence_shows_each_request_on_a_line_of_its_own():
    # schemathesis' stateful phase: the requests that set the failure up, then the last
    curl = "\n".join(
        [
            f"curl -X POST -H 'Authorization: Bearer {TOKEN}' -d '{{\"amount\": 1}}' "
            f"{PORT_URL}/v1/expenses",
            f"# as owner ({TOKEN})",
            f"curl -X GET {PORT_URL}/v1/expenses/2",
        ]
    )

    assert shown_curl(curl, PORT_URL, TOKEN).splitlines() == [
        "curl -i -X POST http://127.0.0.1:8000/v1/expenses "
        """-H "authorization: Bearer $TOKEN_FUZZER" -d '{"amount": 1}'""",
        "# as owner ($TOKEN_FUZZER)",
        "curl -i http://127.0.0.1:8000/v1/expenses/2",
    ]


def test_a_reproduction_that_is_not_one_command_still_hides_the_token():
    shown = shown_curl(f"curl '{PORT_URL}/x -H 'Bearer {TOKEN}", PORT_URL, TOKEN)

    assert TOKEN not in shown and "$TOKEN_FUZZER" in shown


def test_each_kind_of_finding_says_what_went_wrong_in_one_line():
    reasons = {
        "not_a_server_error": "POST /v1/expenses answered 500: a server error",
        "ignored_auth": "POST /v1/expenses answered 500 without a valid token",
        "positive_data_acceptance": "POST /v1/expenses refused a request its own schema "
        "allows, with 500",
    }
    for check, reason in reasons.items():
        assert _finding(check).reason == reason
    off_schema = _finding(
        "response_schema_conformance", status=200, message="12.5 is not of type 'string'\n\n…"
    )
    assert off_schema.reason == (
        "POST /v1/expenses answered 200 with a body off its schema: 12.5 is not of type 'string'"
    )
    undocumented = _finding(
        "status_code_conformance", status=404, message="Received: 404\nDocumented: 201, 422"
    )
    assert undocumented.reason == (
        "POST /v1/expenses answered 404, a status it does not document (it documents 201, 422)"
    )


SERVER_OUTPUT = [
    'INFO:     127.0.0.1:5 - "POST /v1/expenses HTTP/1.1" 500 Internal Server Error',
    "ERROR:    Exception in ASGI application",
    "Traceback (most recent call last):",
    '  File "/w/venv/lib/python3.11/site-packages/uvicorn/protocols/http/h11_impl.py", '
    "line 407, in run_asgi",
    "    result = await app(  # type: ignore[func-returns-value]",
    "             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
    '  File "/w/venv/lib/python3.11/site-packages/expense_tracker/api/routes/expenses.py", '
    "line 23, in create_expense",
    '    body.note += f" (approved by {approvers[body.category]})"',
    "                                  ~~~~~~~~~^^^^^^^^^^^^^^^",
    "KeyError: '0'",
    'INFO:     127.0.0.1:5 - "GET /v1/expenses HTTP/1.1" 200 OK',
]


def test_a_traceback_keeps_only_the_learners_own_frames_and_the_exception():
    (shown,) = tracebacks(SERVER_OUTPUT * 2, ("expense_tracker",))  # the same one, once

    assert shown.splitlines() == [
        "Traceback (most recent call last):",
        "  (1 frame of the libraries it ran through left out)",
        '  File "expense_tracker/api/routes/expenses.py", line 23, in create_expense',
        '    body.note += f" (approved by {approvers[body.category]})"',
        "KeyError: '0'",
    ]


def test_a_failure_lists_the_first_findings_and_counts_the_rest():
    findings = [_finding(operation=f"GET /v1/r{n}", curl=f"curl -i /r{n}") for n in range(5)]

    failed = failure(findings, problem="five", expected="none", server_said=["Traceback …"])

    assert failed.ran.splitlines() == [
        "# 1. GET /v1/r0 answered 500: a server error",
        "curl -i /r0",
        "# 2. GET /v1/r1 answered 500: a server error",
        "curl -i /r1",
        "# 3. GET /v1/r2 answered 500: a server error",
        "curl -i /r2",
    ]
    assert "… and 2 more like them" in failed.got
    assert failed.got.endswith("your server's output:\nTraceback …")
    assert try_lines(findings)[-2:] == [
        "# 3. GET /v1/r2 answered 500: a server error",
        "curl -i /r2",
    ]


def test_a_traceback_logged_as_json_is_read_from_its_record_with_its_whole_chain():
    chained = "\n".join(
        [
            "Traceback (most recent call last):",
            '  File "/w/venv/lib/python3.11/site-packages/sqlalchemy/engine/base.py", line 1, '
            "in _exec",
            "    cursor.execute(statement)",
            "psycopg.errors.NumericValueOutOfRange: numeric field overflow",
            "",
            "The above exception was the direct cause of the following exception:",
            "",
            "Traceback (most recent call last):",
            '  File "/w/venv/lib/python3.11/site-packages/expense_tracker/repository.py", '
            "line 140, in add",
            "    self.session.flush()",
            "sqlalchemy.exc.DataError: (psycopg.errors.NumericValueOutOfRange) numeric field "
            "overflow",
        ]
    )
    record = json.dumps({"level": "error", "request_id": "abc", "traceback": chained})

    (shown,) = tracebacks(["not json {", record], ("expense_tracker",))

    assert shown.splitlines() == [
        "Traceback (most recent call last):",
        "  (1 frame of the libraries it ran through left out)",
        "psycopg.errors.NumericValueOutOfRange: numeric field overflow",
        "The above exception was the direct cause of the following exception:",
        '  File "expense_tracker/repository.py", line 140, in add',
        "    self.session.flush()",
        "sqlalchemy.exc.DataError: (psycopg.errors.NumericValueOutOfRange) numeric field overflow",
    ]
