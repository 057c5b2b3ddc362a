"""The app on the fake unit of work: HTTP in, JSON out, no server and no database.

Each client logs in the way a real one does, with the OAuth2 password form, and sends its
token on every request. `TestClient(app)` without a `with` block does not run the
lifespan, so the app never opens its database: the fakes stand in for it.
"""

import io
import json
import logging
from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from expense_tracker.api.app import create_app
from expense_tracker.api.deps import get_database_check, get_unit_of_work
from expense_tracker.core.config import Settings
from expense_tracker.core.logs import JsonFormatter

PASSWORD = "correct horse battery"  # as in conftest.py: every user the fixtures make has it


class FakeDatabase:
    """Plays a database that is up, or down (`up = False`), for /health."""

    def __init__(self) -> None:
        self.up = True

    def is_up(self) -> bool:
        return self.up


@pytest.fixture
def database() -> FakeDatabase:
    return FakeDatabase()


@pytest.fixture
def app(uow, database) -> FastAPI:
    app = create_app(Settings())
    app.dependency_overrides[get_unit_of_work] = lambda: uow
    app.dependency_overrides[get_database_check] = lambda: database.is_up
    return app


@pytest.fixture
def anonymous(app) -> TestClient:
    return TestClient(app)


def logged_in(app: FastAPI, username: str) -> TestClient:
    client = TestClient(app)
    answer = client.post("/v1/auth/token", data={"username": username, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    client.headers["Authorization"] = f"Bearer {answer.json()['access_token']}"
    return client


@pytest.fixture
def client(app, alice) -> TestClient:
    return logged_in(app, "alice")


@pytest.fixture
def bobs_client(app, bob) -> TestClient:
    return logged_in(app, "bob")


@pytest.fixture
def admins_client(app, admin) -> TestClient:
    return logged_in(app, "root")


@pytest.fixture
def log_lines() -> Iterator[Callable[[], list[dict[str, object]]]]:
    """What the app logs, as the JSON lines its formatter writes: `log_lines()` parses
    every line so far. (Records go to the root logger, where the app's own handler
    writes them to stdout; this handler keeps a copy for the test to read.) Only the
    app's records: the test client's own library logs every URL it requests."""
    written = io.StringIO()
    handler = logging.StreamHandler(written)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(logging.Filter("expense_tracker"))
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in written.getvalue().splitlines()]
    root.removeHandler(handler)
