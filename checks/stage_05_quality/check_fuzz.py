"""An API fuzzing cannot break: schemathesis, from your own OpenAPI document, time-boxed.

One fuzz run per checker run (doors/tools/fuzz.py) feeds the five checks; each reads the
findings of one schemathesis check. A finding is a verdict, shown as the curl line that
reproduces it; finding nothing within `--fuzz-budget` is not a proof, and the run's notes
say so.
"""

from checks.harness.catalog import check
from checks.harness.doors.tools import fuzz_findings
from checks.harness.doors.tools.fuzz_outcome import Fuzzed
from checks.harness.transcript import Transcript


def _require_none(
    fuzzed: Fuzzed,
    transcript: Transcript,
    check: str,
    *,
    problem: str,
    expected: str,
    with_tracebacks: bool = False,
) -> None:
    findings = fuzzed.of(check)
    if not findings:
        return
    for line in [*fuzzed.lines, *fuzz_findings.try_lines(findings)]:
        transcript.add(line)
    count = f"{len(findings)} request{'s' if len(findings) > 1 else ''}"
    raise fuzz_findings.failure(
        findings,
        problem=problem.format(count=count, seconds=f"{fuzzed.budget:g}"),
        expected=expected,
        server_said=list(fuzzed.server_said) if with_tracebacks else [],
    )


@check("fuzz-no-server-errors")
def check_fuzz_no_server_errors(fuzzed: Fuzzed, transcript: Transcript) -> None:
    """Requests generated from your OpenAPI document never make your API answer 5xx.

    Why: a 5xx says the server broke, not that the client erred: the client cannot fix
    its request, a monitor pages someone at night, and a crash on strange input is often
    the first step of an attack. Your own tests send the inputs you thought of; a fuzzer
    sends the ones you did not (a number past 2^63, a NUL byte, an empty string). The
    checker fuzzes your API for `--fuzz-budget` seconds (30 by default) as an ordinary
    user, on a database of its own: what it finds is a real bug, and finding nothing in
    that time is not a proof there is none.

    Fix: paste the curl line (after the sign-up and log-in lines) and read your server's
    traceback. If the client sent something wrong, refuse it with a 4xx that says what
    (bound the number with `Query(le=...)`/`Field(le=...)`, refuse what your database
    cannot store); if it is a bug, fix it and add the request to your tests.
    """
    _require_none(
        fuzzed,
        transcript,
        "not_a_server_error",
        problem="fuzzing for {seconds} s found {count} your API answered with a 5xx",
        expected="a 2xx, or a 4xx that says what was wrong with the request; never a 5xx",
        with_tracebacks=True,
    )


@check("fuzz-responses-match-schema")
def check_fuzz_responses_match_schema(fuzzed: Fuzzed, transcript: Transcript) -> None:
    """Every answer your API gives matches the schema its route declares.

    Why: your OpenAPI document is a promise to every client: generated clients, a
    frontend, another team. An answer that breaks it (a number where a string was
    declared, a missing required field) breaks them, silently, at run time.

    Fix: return what the route declares: let FastAPI build the answer from the route's
    return type or `response_model` instead of returning a dict or a `JSONResponse` of
    your own, or correct the declared schema when the answer is right.
    """
    _require_none(
        fuzzed,
        transcript,
        "response_schema_conformance",
        problem="fuzzing for {seconds} s found {count} your API answered off the schema "
        "the route declares",
        expected="each answer to match the schema its route declares in /openapi.json, "
        "for its status code",
    )


@check("fuzz-routes-need-a-token")
def check_fuzz_routes_need_a_token(fuzzed: Fuzzed, transcript: Transcript) -> None:
    """No route that needs a login answers a request without a valid token.

    Why: one route that forgets its login dependency is enough to read or change other
    people's {records} (OWASP API2:2023, broken authentication). The checker sends each
    request that worked with the fuzzer's token again without it, and with a wrong one.
    It counts as needing a login every route your document says is secured, and every
    route of {collection} and your `me` route, whatever the document says.

    Fix: make the current user a dependency of the route (`user: CurrentUser`), and
    check the token in it: a missing or wrong token answers 401.
    """
    _require_none(
        fuzzed,
        transcript,
        "ignored_auth",
        problem="fuzzing for {seconds} s found {count} a route answered without a valid token",
        expected='401 (with "WWW-Authenticate: Bearer") to a request without a valid token',
    )


@check("fuzz-documented-status", advisory=True)
def check_fuzz_documented_status(fuzzed: Fuzzed, transcript: Transcript) -> None:
    """Your API answers only with status codes its OpenAPI document lists for the route.

    Why: a client generated from your document handles the statuses it lists; a 404 or
    409 it was never told about surprises it. FastAPI lists only the success status and
    422 unless you say more.

    Fix: list each route's other answers in its decorator:
    `@router.get(..., responses={404: {"description": "no such {record}"}})`; a
    `responses` on the router covers all its routes (401 for a missing login).
    """
    _require_none(
        fuzzed,
        transcript,
        "status_code_conformance",
        problem="fuzzing for {seconds} s found {count} answered with a status the route "
        "does not document",
        expected="each status code an answer uses to be listed under the route's responses",
    )


@check("fuzz-valid-data-accepted", advisory=True)
def check_fuzz_valid_data_accepted(fuzzed: Fuzzed, transcript: Transcript) -> None:
    """Requests your OpenAPI document says are valid are not refused with a 4xx.

    Why: a client that follows your document must be able to use your API. When the
    code refuses what the schema allows (a rule the schema does not show), every client
    finds the rule by trial and error. The checker takes the fields' types and bounds
    from your manifest, not only from the document.

    Fix: put the rule in the schema, where clients can read it: `Field(min_length=3,
    pattern=...)`, `Query(ge=1, le=100)`; or relax the rule.
    """
    _require_none(
        fuzzed,
        transcript,
        "positive_data_acceptance",
        problem="fuzzing for {seconds} s found {count} refused though the schema allows them",
        expected="a request that matches the route's schema (and the manifest's field "
        "types) to be accepted",
    )
