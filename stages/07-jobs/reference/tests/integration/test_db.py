"""Connecting: a clear error for every way a database URL can be wrong, and no tables
made behind anyone's back (the migrations own the schema)."""

import pytest
from sqlalchemy import inspect
from sqlalchemy.orm import sessionmaker

from expense_tracker.db import connect, make_engine, ping
from expense_tracker.errors import StorageError


def test_connecting_to_a_database_with_our_tables_works(database_url):
    with connect(database_url)() as session:
        assert session.connection() is not None


def test_a_database_without_our_tables_is_refused_with_the_command_that_makes_them(
    empty_database_url,
):
    missing = r"missing tables \(expenses, jobs, users\).*alembic upgrade"
    with pytest.raises(StorageError, match=missing):
        connect(empty_database_url)

    assert inspect(make_engine(empty_database_url)).get_table_names() == []  # none made


def test_a_sqlite_files_folder_is_created_on_connecting(tmp_path):
    path = tmp_path / "deep" / "er" / "expenses.db"

    make_engine(f"sqlite:///{path}")

    assert path.parent.is_dir()


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


def test_a_database_that_answers_pings_true(database_url):
    assert ping(connect(database_url)) is True


def test_a_database_that_does_not_answer_pings_false_and_logs_why(caplog):
    closed_port = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/nothing")

    assert ping(sessionmaker(closed_port)) is False
    (record,) = [r for r in caplog.records if r.getMessage() == "database unreachable"]
    assert "127.0.0.1" in record.fields["reason"]
