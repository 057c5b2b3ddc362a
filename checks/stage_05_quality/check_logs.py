"""One JSON log line per request, the request id on both ends, errors logged and not shown."""

import json
import secrets

from checks.harness.catalog import check
from checks.harness.doors.http import accounts, logs
from checks.harness.doors.http.client import Answer
from checks.harness.doors.http.resource import LearnerApi, unknown_id
from checks.harness.doors.storage import database
from checks.harness.failure import CheckFailed, shown_json
from checks.harness.manifest import Manifest
from checks.harness.values import ValueMaker

HEADER = "X-Request-ID"
LOG_LINES = "05-quality/request-log-lines"


def _request_id() -> str:
    return f"roadmap-{secrets.token_hex(8)}"


def _expected_fields() -> str:
    return "one JSON object per line with " + ", ".join(logs.ACCESS_FIELDS)


@check("request-log-lines")
def check_request_log_lines(api: LearnerApi, manifest: Manifest, values: ValueMaker) -> None:
    """Each request gives exactly one JSON log line: method, path, status, duration_ms, request_id.

    Why: at 3 a.m. the logs are all you have. One structured line per request can be
    searched and counted (every 5xx of the last hour, the slowest paths); a line a
    machine cannot parse, or three lines for one request, cannot.

    Fix: add a middleware that times each request and logs one record with those fields
    through a JSON formatter (stdlib `logging` with a small `Formatter`, or structlog);
    turn uvicorn's own access log off so a request is not logged twice.
    """
    marked = logs.mark(api)
    sent: dict[str, Answer] = {}
    for method, path in (
        ("GET", api.config.collection),
        ("GET", api.paths.item_url(unknown_id(1, values.token()))),
        ("GET", manifest.quality.health),
    ):
        request_id = _request_id()
        sent[request_id] = api.request(method, path, headers={HEADER: request_id})
    logged = logs.since(api, marked)
    for request_id, answer in sent.items():
        access = [r for r in logged.about(request_id) if logs.is_access(r)]
        if len(access) != 1:
            raise CheckFailed(
                f"{answer.request} gave {len(access)} JSON access log line(s) with its "
                "request id and the fields",
                ran=answer.curl,
                got=logged.shown(),
                expected=f"exactly one: {_expected_fields()}",
            )
        record = access[0]
        if record.get("status") != answer.status or str(record.get("method")) != "GET":
            raise CheckFailed(
                f"the log line of {answer.request} does not say what happened",
                ran=answer.curl,
                got=shown_json(record),
                expected=f'"method": "GET", "status": {answer.status}, as the answer was',
            )
        if not isinstance(record.get("duration_ms"), int | float):
            raise CheckFailed(
                "duration_ms is not a number",
                ran=answer.curl,
                got=shown_json(record),
                expected='"duration_ms": 12.3, a number a query can sum and compare',
            )


@check("request-id-echoed")
def check_request_id_echoed(api: LearnerApi, manifest: Manifest) -> None:
    """A client's X-Request-ID is echoed and logged; without one, your app makes one.

    Why: one id, from the client through every log line to the answer, is how a bug
    report ("request 7f3a… failed") becomes the three log lines that explain it.

    Fix: in the middleware, take the X-Request-ID header or make a new id (uuid4().hex),
    put it in the log record (a contextvar lets every line of the request carry it) and
    set it on the response's headers.
    """
    health, request_id = manifest.quality.health, _request_id()
    marked = logs.mark(api)
    answer = api.request("GET", health, headers={HEADER: request_id})
    if answer.header(HEADER) != request_id:
        raise answer.failure(
            f"the answer does not echo the {HEADER} that was sent",
            expected=f"the header {HEADER}: {request_id} on the answer",
        )
    made = api.request("GET", health)
    own = made.header(HEADER)
    if not own:
        raise made.failure(
            f"without an {HEADER}, the answer carries none",
            expected=f"an {HEADER} your app made, on the answer and in its log line",
        )
    logged = logs.since(api, marked)
    for wanted, answered in ((request_id, answer), (own, made)):
        if not any(logs.is_access(r) for r in logged.about(wanted)):
            raise CheckFailed(
                f"the request id {wanted} is not in the request's log line",
                ran=answered.curl,
                got=logged.shown(),
                expected=f'"request_id": "{wanted}" in the line logged for it',
                step=LOG_LINES,
            )


@check("errors-logged-not-shown")
def check_errors_logged_not_shown(
    own_api: LearnerApi, manifest: Manifest, values: ValueMaker
) -> None:
    """A request that crashes answers 500 with its request id and no traceback; the log has both.

    Why: the client of a crashed request needs an id to quote, not your stack trace (which
    tells an attacker your code's layout); the person on call needs the opposite, once:
    one error record with the traceback, tied to the request by its id.

    Fix: add an exception handler for `Exception` that logs with `logger.exception(...)`
    (the JSON formatter puts the traceback in the record) and answers
    `{"detail": "internal error", "request_id": ...}` with status 500.
    """
    api = own_api  # a database of its own: the checker breaks it on purpose
    record = values.record(manifest.fields)
    api.create_ok(record)
    url = api.storage.database[0] if api.storage.database else ""
    words = [v for k, v in record.items() if manifest.fields[k].type == "word"]
    table = database.table_holding(url, words or list(record.values()))
    if table is None:
        raise CheckFailed("the record just created is in no table of your database")
    hidden = f"{table}_gone_{secrets.token_hex(3)}"
    database.rename_table(url, table, hidden)  # a bug, as a missing migration would be
    request_id = _request_id()
    marked = logs.mark(api)
    api.transcript.add(f"# the checker renames the table {table}, then asks:")
    try:
        answer = api.request(
            "GET", api.config.collection, headers={HEADER: request_id}, server_errors=True
        )
    finally:
        database.rename_table(url, hidden, table)
    if answer.status < 500:
        raise answer.failure(
            f"with the table {table} gone, the listing answered {answer.status}",
            expected="a 5xx: the server could not do its job (a 4xx blames the client)",
        )
    if "Traceback" in answer.text or 'File "' in answer.text:
        raise answer.failure(
            "the answer shows the client a traceback",
            expected='a short JSON error with the request id, e.g. {"detail": "internal '
            f'error", "request_id": "{request_id}"}}',
        )
    if request_id not in answer.text:
        raise answer.failure(
            "the error answer does not carry the request id",
            expected=f'the request id in the body: "request_id": "{request_id}"',
        )
    logged = logs.since(api, marked)
    errors = [r for r in logged.about(request_id) if logs.is_error(r) and logs.has_traceback(r)]
    if len(errors) != 1:
        raise CheckFailed(
            f"the crash gave {len(errors)} JSON error record(s) with the request id and a "
            "traceback",
            ran=answer.curl,
            got=logged.shown(12),
            expected='exactly one, e.g. {"level": "error", "request_id": "…", "traceback": '
            '"Traceback (most recent call last): …"}',
        )


@check("no-secrets-in-logs")
def check_no_secrets_in_logs(stranger_api: LearnerApi, manifest: Manifest) -> None:
    """No password, token or Authorization header ever appears in your server's output.

    Why: logs are copied to log services, read by many people and kept for months; a
    password or a bearer token in them is a leaked credential (OWASP A09:2021).

    Fix: log what a request did (method, path, status, duration, request id), never its
    body or headers; if you log a body for debugging, drop the password field first.
    """
    api, auth = stranger_api, manifest.require_auth()
    marked = logs.mark(api)
    name = accounts.new_name(auth, "canary")
    password = f"canary-Pw-{secrets.token_hex(6)}-not-logged"
    accounts.sign_up(api, name, password).expect(201, doing="signing up", step=accounts.REGISTER)
    token = accounts.token_from(accounts.log_in(api, name, password))
    api.with_auth(token).request("GET", auth.me)
    logged = logs.since(api, marked)
    text = "\n".join(logged.lines)
    for secret, what in ((password, "the password"), (token, "the bearer token")):
        if secret in text:
            line = next(line for line in logged.lines if secret in line)
            raise CheckFailed(
                f"{what} appears in your server's output",
                ran=f"sign up as {name}, log in, then GET {auth.me}",
                got=json.dumps(line.replace(secret, "<" + what.split()[-1].upper() + ">"))[:400],
                expected="no password or token in any log line",
            )
