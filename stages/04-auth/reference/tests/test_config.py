"""Settings come from the environment, with a default for every one of them."""

from pathlib import Path

import pytest

from expense_tracker.core.config import PLACEHOLDER_SECRET_KEY, get_settings


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


def test_the_token_settings_come_from_their_variables(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("ACCESS_TOKEN_EXPIRE_MINUTES", "5")

    settings = get_settings()

    assert settings.secret_key.get_secret_value() == "s" * 40
    assert settings.access_token_expire_minutes == 5
    assert "s" * 40 not in repr(settings)  # the key stays out of logs and tracebacks


def test_tokens_live_30_minutes_in_production_unless_told_otherwise():
    settings = get_settings()

    assert (settings.access_token_expire_minutes, settings.app_env) == (30, "production")


@pytest.mark.parametrize("value", ["", None])
def test_a_missing_or_empty_secret_key_is_refused_outside_development(monkeypatch, value):
    if value is None:
        monkeypatch.delenv("SECRET_KEY")
    else:
        monkeypatch.setenv("SECRET_KEY", value)

    settings = get_settings()

    assert settings.secret_key.get_secret_value() == PLACEHOLDER_SECRET_KEY
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set.*APP_ENV=development"):
        settings.require_secret_key()


def test_the_placeholder_secret_key_is_refused_outside_development(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", PLACEHOLDER_SECRET_KEY)

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        get_settings().require_secret_key()


def test_in_development_the_placeholder_secret_key_is_accepted(monkeypatch):
    monkeypatch.delenv("SECRET_KEY")
    monkeypatch.setenv("APP_ENV", "development")

    get_settings().require_secret_key()  # does not raise


def test_the_cli_user_comes_from_expense_tracker_user(monkeypatch):
    monkeypatch.setenv("EXPENSE_TRACKER_USER", "ada")

    assert get_settings().expense_tracker_user == "ada"
