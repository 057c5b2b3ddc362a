"""What a failed HTTP expectation tells a learner: a login problem is said as one."""

import pytest

from checks.harness.doors.http.client import Answer
from checks.harness.failure import CheckFailed

CREATE_FIX = "return the new record with status_code=201 in the route's decorator"


def _answer(status: int, reason: str, *, logged_in: bool = False) -> Answer:
    body = '{"detail": "Not authenticated"}'
    curl = "curl -i -X POST http://127.0.0.1:8000/v1/expenses -d '{...}'"
    return Answer("POST", "/v1/expenses", status, reason, body, curl, logged_in=logged_in)


def _failure(answer: Answer, *statuses: int, fix: str | None = CREATE_FIX) -> CheckFailed:
    with pytest.raises(CheckFailed) as raised:
        answer.expect(*statuses, doing="creating an expense", fix=fix)
    return raised.value


@pytest.mark.parametrize(("status", "reason"), [(401, "Unauthorized"), (403, "Forbidden")])
def test_a_401_or_403_without_a_login_says_the_route_wants_one_and_how_to_declare_it(
    status, reason
):
    failure = _failure(_answer(status, reason), 201)

    assert failure.problem == (
        f"POST /v1/expenses answered {status} instead of 201 while creating an expense: "
        "the route wants a login, and the checker sent none"
    )
    assert failure.fix is not None and "status_code" not in failure.fix
    assert "declare `[tool.roadmap.auth]` in pyproject.toml" in failure.fix
    assert "#stage-4-additions-users-logins-and-migrations" in failure.fix
    assert "before the stage-3 checks" in failure.fix
    assert failure.got == f'{status} {reason}; body: {{"detail": "Not authenticated"}}'


def test_any_other_status_keeps_the_checks_own_fix():
    failure = _failure(_answer(200, "OK"), 201)
    assert failure.problem == (
        "POST /v1/expenses answered 200 instead of 201 while creating an expense"
    )
    assert failure.fix == CREATE_FIX


def test_a_check_that_expects_a_refusal_gets_its_own_words():
    failure = _failure(_answer(403, "Forbidden"), 401, 400)
    assert failure.problem.endswith("instead of 401 or 400 while creating an expense")
    assert failure.fix == CREATE_FIX


def test_a_401_to_a_logged_in_request_says_the_login_was_not_accepted():
    failure = _failure(_answer(401, "Unauthorized", logged_in=True), 201, fix=None)
    assert failure.problem.endswith(": the route did not accept the checker's login")
    assert failure.fix is not None and "secret_env" in failure.fix


def test_a_403_to_a_logged_in_request_keeps_a_fix_the_check_gave():
    answer = _answer(403, "Forbidden", logged_in=True)
    assert _failure(answer, 201).fix == CREATE_FIX
    generic = _failure(answer, 201, fix=None)
    assert generic.problem.endswith(": the route refused the logged-in user")
    assert generic.fix is not None and "the {records} they own" in generic.fix
