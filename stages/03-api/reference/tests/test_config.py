"""Settings come from the environment, with a default for every one of them."""

from pathlib import Path

from expense_tracker.core.config import get_settings


def test_the_database_url_comes_from_the_database_url_variable(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:////srv/expenses.db")

    assert get_settings().database_url == "sqlite:////srv/expenses.db"


def test_without_database_url_the_data_lives_in_the_users_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))

    expected = Path(tmp_path, ".local", "share", "expense-tracker", "expenses.db")
    assert get_settings().database_url == f"sqlite:///{expected}"


def test_an_empty_database_url_counts_as_unset(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))

    assert get_settings().database_url == f"sqlite:///{tmp_path}/expense-tracker/expenses.db"
