"""One JSON log line per request, with a request id the client sees too; a bug is logged
with its traceback and never shown to the client; no secret is ever logged."""

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from expense_tracker.api.deps import get_unit_of_work
from expense_tracker.errors import DatabaseUnavailableError

PASSWORD = "correct horse battery"  # as in conftest.py


def access_lines(lines):
    return [line for line in lines if line["event"] == "request"]


def test_each_request_writes_one_access_line_with_what_an_operator_needs(anonymous, log_lines):
    anonymous.get("/v1/expenses/7?limit=3", headers={"X-Request-ID": "req-42"})

    (line,) = access_lines(log_lines())
    assert line["method"] == "GET"
    assert line["path"] == "/v1/expenses/7"  # without the query string
    assert line["status"] == 401
    assert isinstance(line["duration_ms"], float)
    assert line["request_id"] == "req-42"
    assert line["level"] == "info"


def test_the_clients_request_id_is_echoed_in_the_answer(anonymous):
    answer = anonymous.get("/health", headers={"X-Request-ID": "abc-123"})

    assert answer.headers["X-Request-ID"] == "abc-123"


def test_without_a_request_id_the_app_makes_a_new_one_for_each_request(anonymous, log_lines):
    first, second = anonymous.get("/health"), anonymous.get("/health")

    ids = [first.headers["X-Request-ID"], second.headers["X-Request-ID"]]
    assert len(set(ids)) == 2
    assert [line["request_id"] for line in access_lines(log_lines())] == ids


@pytest.mark.parametrize("sent", ["has spaces", "x" * 129, "a\tb"])
def test_a_request_id_that_could_break_a_log_line_or_a_header_is_replaced(anonymous, sent):
    answer = anonymous.get("/health", headers={"X-Request-ID": sent})

    assert answer.headers["X-Request-ID"] != sent
    assert len(answer.headers["X-Request-ID"]) == 32  # a uuid4, in hex


class BrokenUnitOfWork:
    """A unit of work with a bug: what a missing table or a typo in a query looks like."""

    def __enter__(self):
        raise RuntimeError('relation "expenses" does not exist')

    def __exit__(self, *exc_info):
        pass


@pytest.fixture
def broken(app: FastAPI, client: TestClient) -> TestClient:
    """Alice, logged in, on an app whose storage is broken from now on."""
    app.dependency_overrides[get_unit_of_work] = BrokenUnitOfWork
    return client


def test_a_bug_answers_500_with_the_request_id_and_no_traceback(broken):
    answer = broken.get("/v1/expenses", headers={"X-Request-ID": "bug-1"})

    assert answer.status_code == 500
    assert answer.json() == {"detail": "internal error", "request_id": "bug-1"}
    assert "Traceback" not in answer.text
    assert "does not exist" not in answer.text
    assert answer.headers["X-Request-ID"] == "bug-1"


def test_a_bug_is_logged_once_as_an_error_with_its_traceback(broken, log_lines):
    broken.get("/v1/expenses", headers={"X-Request-ID": "bug-2"})

    errors = [line for line in log_lines() if line["level"] == "error"]
    (error,) = errors
    assert error["request_id"] == "bug-2"
    assert error["error"] == "RuntimeError"
    assert 'relation "expenses" does not exist' in error["traceback"]
    assert access_lines(log_lines())[-1]["status"] == 500


class DownUnitOfWork:
    """The database went away: what the real unit of work raises then."""

    def __enter__(self):
        raise DatabaseUnavailableError("connection to server at 10.0.0.5, port 5432 failed")

    def __exit__(self, *exc_info):
        pass


def test_an_outage_is_a_503_to_retry_and_its_reason_goes_to_the_log_only(app, client, log_lines):
    app.dependency_overrides[get_unit_of_work] = DownUnitOfWork

    answer = client.get("/v1/expenses")

    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "5"
    assert answer.json() == {"detail": "the database is unavailable; try again later"}
    (warning,) = [line for line in log_lines() if line["level"] == "warning"]
    assert "10.0.0.5" in warning["reason"]


def test_no_password_or_token_is_ever_logged(app, uow, log_lines):
    canary = "canary-password-never-logged"
    anonymous = TestClient(app)
    anonymous.post("/v1/users", json={"username": "carol", "password": canary})
    login = anonymous.post("/v1/auth/token", data={"username": "carol", "password": canary})
    token = login.json()["access_token"]
    anonymous.get("/v1/users/me", headers={"Authorization": f"Bearer {token}"})
    anonymous.get("/v1/expenses", params={"token": token})

    written = "\n".join(str(line) for line in log_lines())
    assert len(access_lines(log_lines())) == 4
    assert canary not in written
    assert token not in written
    assert "Bearer" not in written
