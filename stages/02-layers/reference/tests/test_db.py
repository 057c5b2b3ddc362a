import sqlite3
from pathlib import Path

import pytest

from expense_tracker.db import connect, database_url
from expense_tracker.errors import StorageError


def test_the_database_url_comes_from_the_database_url_variable(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:////srv/expenses.db")

    assert database_url() == "sqlite:////srv/expenses.db"


def test_without_database_url_the_data_lives_in_the_users_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))

    expected = Path(tmp_path, ".local", "share", "expense-tracker", "expenses.db")
    assert database_url() == f"sqlite:///{expected}"


def test_connecting_creates_the_file_its_folder_and_the_expenses_table(tmp_path):
    path = tmp_path / "deep" / "er" / "expenses.db"

    connect(f"sqlite:///{path}")

    with sqlite3.connect(path) as database:
        tables = database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        assert "expenses" in {name for (name,) in tables}


def test_a_url_that_is_not_a_database_url_is_a_storage_error():
    with pytest.raises(StorageError, match="DATABASE_URL is not a database URL"):
        connect("expenses.db")


def test_a_file_that_is_not_a_database_is_a_storage_error_naming_it(tmp_path):
    path = tmp_path / "expenses.json"
    path.write_text('{"next_id": 1, "expenses": []}')

    with pytest.raises(StorageError, match=r"expenses\.json: file is not a database"):
        connect(f"sqlite:///{path}")


def test_a_password_in_the_url_is_never_shown():
    with pytest.raises(StorageError) as error:
        connect("postgresql+nosuchdriver://app:s3cret@localhost/expenses")

    assert "s3cret" not in str(error.value)
