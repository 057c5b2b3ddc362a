"""What every test shares: the environment it starts from, and fakes of the storage.

The layers of tests (the pyramid, ADR 0018):

- tests/unit: the domain, the services, the settings, the logs. No database, no HTTP; the
  whole folder runs in a second or two, with DATABASE_URL pointing at nothing.
- tests/api: HTTP requests through FastAPI's TestClient to an app on the fakes below.
- tests/integration: the storage, the CLI, the migrations and the whole app on a real
  database, the one DATABASE_URL names (see tests/integration/conftest.py).

The fakes keep users, expenses and jobs in dicts and count commits. They are real (if tiny)
implementations of the services' protocols, not mocks: a test states what the service
did to the store, not which methods it happened to call.
"""

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from expense_tracker import passwords, services
from expense_tracker.errors import ConflictError
from expense_tracker.models import QUEUED, Expense, Job, User

TEST_SECRET_KEY = "a-test-secret-that-is-at-least-32-bytes-long"
PASSWORD = "correct horse battery"  # the password of every user the fixtures make
# A database no test may reach: a closed port. A test that forgets to use a fake, or its
# own database, fails at once ("connection refused") instead of touching real data.
NO_DATABASE = "postgresql+psycopg://nobody@127.0.0.1:1/no-database-here"


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every test starts from the same settings, whatever the shell that runs pytest has
    exported: production mode, a real secret, a DATABASE_URL that leads nowhere, no CLI
    user; and in an empty folder, so that no `.env` of yours is read."""
    monkeypatch.setenv("SECRET_KEY", TEST_SECRET_KEY)
    monkeypatch.setenv("DATABASE_URL", NO_DATABASE)
    for name in ("APP_ENV", "ACCESS_TOKEN_EXPIRE_MINUTES", "EXPENSE_TRACKER_USER", "LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 with the cheapest settings it allows: the real ones take a tenth of a second
    per hash on purpose, which would make the suite slow. The tests check what the code
    does with hashes; test_passwords.py checks the real settings once."""
    cheap = Argon2Hasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(passwords, "_hasher", PasswordHash((cheap,)))


class FakeUserRepository:
    def __init__(self) -> None:
        self.users: dict[int, User] = {}

    def add(self, username: str, password_hash: str, is_admin: bool) -> User:
        if self.by_username(username) is not None:  # what the UNIQUE constraint does
            raise ConflictError(f"the username {username!r} is taken; choose another")
        user = User(len(self.users) + 1, username, password_hash, is_admin)
        self.users[user.id] = user
        return user

    def get(self, user_id: int) -> User | None:
        return self.users.get(user_id)

    def by_username(self, username: str) -> User | None:
        return next((u for u in self.users.values() if u.username == username), None)

    def all(self) -> list[User]:
        return list(self.users.values())


class FakeExpenseRepository:
    """Expenses in a dict, numbered like the database numbers them: never an id twice."""

    def __init__(self) -> None:
        self.expenses: dict[int, Expense] = {}
        self.last_id = 0

    def add(self, owner_id: int, amount: Decimal, category: str, note: str) -> Expense:
        self.last_id += 1
        expense = Expense(self.last_id, owner_id, amount, category, note)
        self.expenses[expense.id] = expense
        return expense

    def get(self, expense_id: int) -> Expense | None:
        return self.expenses.get(expense_id)

    def all(self, *, owner_id: int | None) -> list[Expense]:
        return [e for e in self.expenses.values() if owner_id in (None, e.owner_id)]

    def slice(self, limit: int, offset: int, *, owner_id: int | None) -> list[Expense]:
        return self.all(owner_id=owner_id)[offset : offset + limit]

    def count(self, *, owner_id: int | None) -> int:
        return len(self.all(owner_id=owner_id))

    def update(self, expense: Expense) -> None:
        if expense.id in self.expenses:
            self.expenses[expense.id] = expense

    def delete(self, expense_id: int) -> None:
        self.expenses.pop(expense_id, None)


class FakeJobRepository:
    """Jobs in a dict, one per owner and idempotency key, as the UNIQUE constraint keeps."""

    def __init__(self) -> None:
        self.jobs: dict[uuid.UUID, Job] = {}
        self.keys: dict[tuple[int, str], uuid.UUID] = {}

    def add(
        self, owner_id: int, kind: str, payload: dict[str, Any], idempotency_key: str | None
    ) -> Job:
        if idempotency_key is not None and (owner_id, idempotency_key) in self.keys:
            return self.jobs[self.keys[owner_id, idempotency_key]]
        job = Job(uuid.uuid4(), owner_id, kind, payload, QUEUED, 0, datetime.now(UTC))
        self.jobs[job.id] = job
        if idempotency_key is not None:
            self.keys[owner_id, idempotency_key] = job.id
        return job

    def get(self, job_id: uuid.UUID) -> Job | None:
        return self.jobs.get(job_id)


class FakeUnitOfWork:
    def __init__(self) -> None:
        self.users = FakeUserRepository()
        self.expenses = FakeExpenseRepository()
        self.jobs = FakeJobRepository()
        self.commits = 0

    def __enter__(self) -> "FakeUnitOfWork":
        return self

    def __exit__(self, *exc_info: object) -> None:
        pass

    def commit(self) -> None:
        self.commits += 1


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def alice(uow: FakeUnitOfWork) -> User:
    return services.register_user(uow, "alice", PASSWORD)


@pytest.fixture
def bob(uow: FakeUnitOfWork) -> User:
    return services.register_user(uow, "bob", PASSWORD)


@pytest.fixture
def admin(uow: FakeUnitOfWork) -> User:
    return services.register_user(uow, "root", PASSWORD, is_admin=True)
