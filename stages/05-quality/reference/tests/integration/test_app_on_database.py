"""The whole app on a real database: the lifespan opens it, /health asks it, and what the
database refuses is sorted into the client's mistakes (4xx), our bugs (500) and an
outage (503). On PostgreSQL these are the answers a fake cannot give."""

from collections.abc import Iterator
from functools import partial

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from expense_tracker.api.app import create_app
from expense_tracker.bootstrap import Database
from expense_tracker.core.config import Settings
from expense_tracker.db import make_engine, ping
from expense_tracker.unit_of_work import SqlAlchemyUnitOfWork

PASSWORD = "correct horse battery"
CLOSED_PORT = "postgresql+psycopg://nobody@127.0.0.1:1/nothing"


@pytest.fixture
def anonymous(database_url, monkeypatch) -> Iterator[TestClient]:
    monkeypatch.setenv("DATABASE_URL", database_url)
    with TestClient(create_app(Settings())) as client:  # `with`: the lifespan runs
        yield client


@pytest.fixture
def client(anonymous) -> TestClient:
    anonymous.post("/v1/users", json={"username": "ada", "password": PASSWORD})
    login = anonymous.post("/v1/auth/token", data={"username": "ada", "password": PASSWORD})
    anonymous.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
    return anonymous


def test_health_passes_when_the_database_answers(anonymous):
    answer = anonymous.get("/health")

    assert (answer.status_code, answer.json()) == (200, {"status": "pass"})


def test_an_expense_made_over_http_is_stored_and_read_back(client):
    created = client.post("/v1/expenses", json={"amount": "12.50", "category": "food"})

    assert created.status_code == 201
    assert client.get(f"/v1/expenses/{created.json()['id']}").json() == created.json()


def test_a_nul_character_in_the_login_name_is_a_401_not_a_database_error(anonymous):
    answer = anonymous.post("/v1/auth/token", data={"username": "a\x00da", "password": PASSWORD})

    assert answer.status_code == 401


def test_a_nul_character_in_a_note_is_a_422_not_a_database_error(client):
    body = {"amount": 1, "category": "food", "note": "lunch\x00"}

    assert client.post("/v1/expenses", json=body).status_code == 422


def test_an_offset_beyond_what_postgresql_can_count_is_a_422(client):
    assert client.get("/v1/expenses", params={"offset": 2**63}).status_code == 422


def test_a_missing_table_is_a_bug_500_with_the_request_id_not_a_retry_later(client, database_url):
    engine = make_engine(database_url)
    with engine.begin() as connection:  # what a forgotten migration looks like
        connection.execute(text("ALTER TABLE expenses RENAME TO expenses_elsewhere"))
    engine.dispose()

    answer = client.get("/v1/expenses", headers={"X-Request-ID": "missing-table"})

    assert answer.status_code == 500
    assert answer.json() == {"detail": "internal error", "request_id": "missing-table"}


@pytest.fixture
def on_a_database_that_is_down(database_url, monkeypatch) -> Iterator[TestClient]:
    """The app, started, whose database then stops answering."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    with TestClient(create_app(Settings())) as client:
        sessions = sessionmaker(make_engine(CLOSED_PORT))
        client.app.state.database = Database(
            unit_of_work=partial(SqlAlchemyUnitOfWork, sessions), is_up=partial(ping, sessions)
        )
        yield client


def test_health_fails_with_503_when_the_database_stops_answering(on_a_database_that_is_down):
    answer = on_a_database_that_is_down.get("/health")

    assert (answer.status_code, answer.json()) == (503, {"status": "fail"})


def test_a_request_while_the_database_is_down_is_a_503_with_retry_after(
    on_a_database_that_is_down,
):
    body = {"username": "ada", "password": PASSWORD}
    answer = on_a_database_that_is_down.post("/v1/users", json=body)

    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "5"
    assert answer.json() == {"detail": "the database is unavailable; try again later"}
    assert "127.0.0.1" not in answer.text  # where the database is: for the log only
