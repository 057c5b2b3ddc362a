import os

# The package reads its settings when it is imported: give the tests their own.
os.environ.setdefault("APP_NAME", "library-tests")
os.environ.setdefault("SECRET_KEY", "a-signing-key-for-the-tests-only-0123456789")

import pytest  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from passlib.context import CryptContext  # noqa: E402

from library import config, services  # noqa: E402
from library.api.app import create_app  # noqa: E402


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch):
    """bcrypt is slow on purpose (12 rounds); the tests need it right, not slow."""
    monkeypatch.setattr(services, "passwords", CryptContext(schemes=["bcrypt"], bcrypt__rounds=4))


@pytest.fixture
def database_url(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'catalog.db'}"
    monkeypatch.setattr(config, "DATABASE_URL", url)
    return url


@pytest.fixture
def client(database_url):
    with TestClient(create_app()) as client:
        yield client


@pytest.fixture
def reader(client) -> dict[str, str]:
    client.post("/readers", json={"username": "ada", "password": "correct horse"})
    answer = client.post("/token", data={"username": "ada", "password": "correct horse"})
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}
