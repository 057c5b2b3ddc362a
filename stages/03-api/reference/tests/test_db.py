import sqlite3

import pytest

from expense_tracker.db import connect
from expense_tracker.errors import StorageError


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
