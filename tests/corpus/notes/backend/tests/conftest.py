"""Tests run on SQLite files of their own and never read the POSTGRES_* variables."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import Engine, create_engine

from notes_api import passwords, services
from notes_api.database import unit_of_work
from notes_api.settings import AuthSettings
from notes_api.tables import Base
from notes_api.web.app import create_app
from notes_api.web.deps import get_store


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 is slow on purpose; the tests need it correct, not slow."""
    cheap = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=8, parallelism=1),))
    monkeypatch.setattr(passwords, "_hasher", cheap)
    monkeypatch.setattr(passwords, "_DUMMY", cheap.hash("dummy"))


@pytest.fixture
def engine(tmp_path) -> Iterator[Engine]:
    engine = create_engine(f"sqlite:///{tmp_path / 'notes.db'}")
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def store(engine: Engine):
    with unit_of_work(engine) as store:
        yield store


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    app = create_app(AuthSettings(secret_key="a-signing-key-for-the-tests-only-0123456789"))

    def store_on_test_engine():
        with unit_of_work(engine) as store:
            yield store

    app.dependency_overrides[get_store] = store_on_test_engine
    with TestClient(app) as client:
        yield client


def log_in(client: TestClient, email: str, password: str = "correct horse") -> dict[str, str]:
    client.post("/api/auth/signup", json={"email": email, "password": password})
    answer = client.post("/api/auth/login", json={"email": email, "password": password})
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


@pytest.fixture
def ada(client: TestClient) -> dict[str, str]:
    return log_in(client, "ada@example.com")


@pytest.fixture
def bob(client: TestClient) -> dict[str, str]:
    return log_in(client, "bob@example.com")


@pytest.fixture
def admin(client: TestClient, engine: Engine) -> dict[str, str]:
    with unit_of_work(engine) as store:
        services.sign_up(store, "root@example.com", "correct horse", is_admin=True)
    answer = client.post(
        "/api/auth/login", json={"email": "root@example.com", "password": "correct horse"}
    )
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}
