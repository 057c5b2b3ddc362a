"""Settings come from the environment (or a .env file); production has no fallbacks."""

from pathlib import Path

import pytest

from expense_tracker.core.config import PLACEHOLDER_SECRET_KEY, get_settings
from expense_tracker.errors import ConfigurationError


def test_the_database_url_comes_from_the_database_url_variable(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:////srv/expenses.db")

    assert get_settings().require_database_url() == "sqlite:////srv/expenses.db"


def test_the_token_settings_come_from_their_variables(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("ACCESS_TOKEN_EXPIRE_MINUTES", "5")

    settings = get_settings()

    assert settings.require_secret_key() == "s" * 40
    assert settings.access_token_expire_minutes == 5
    assert "s" * 40 not in repr(settings)  # the key stays out of logs and tracebacks


def test_production_is_the_default_and_tokens_live_30_minutes(monkeypatch):
    settings = get_settings()

    assert (settings.app_env, settings.access_token_expire_minutes) == ("production", 30)


@pytest.mark.parametrize("value", [None, ""])
def test_in_production_a_missing_or_empty_database_url_is_refused_naming_it(monkeypatch, value):
    if value is None:
        monkeypatch.delenv("DATABASE_URL")
    else:
        monkeypatch.setenv("DATABASE_URL", value)

    with pytest.raises(ConfigurationError, match="^DATABASE_URL is not set.*APP_ENV=development"):
        get_settings().require_database_url()


@pytest.mark.parametrize("value", [None, ""])
def test_in_production_a_missing_or_empty_secret_key_is_refused_naming_it(monkeypatch, value):
    if value is None:
        monkeypatch.delenv("SECRET_KEY")
    else:
        monkeypatch.setenv("SECRET_KEY", value)

    with pytest.raises(ConfigurationError, match="^SECRET_KEY is not set"):
        get_settings().require_secret_key()


@pytest.mark.parametrize("key", [PLACEHOLDER_SECRET_KEY, "short-key"])
def test_in_production_a_weak_secret_key_is_refused(monkeypatch, key):
    monkeypatch.setenv("SECRET_KEY", key)

    with pytest.raises(ConfigurationError, match="^SECRET_KEY is too weak"):
        get_settings().require_secret_key()


def test_development_falls_back_to_a_sqlite_file_and_a_placeholder_key(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "development")
    monkeypatch.delenv("DATABASE_URL")
    monkeypatch.delenv("SECRET_KEY")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))

    settings = get_settings()

    expected = Path(tmp_path, "expense-tracker", "expenses.db")
    assert settings.require_database_url() == f"sqlite:///{expected}"
    assert settings.require_secret_key() == PLACEHOLDER_SECRET_KEY


def test_without_xdg_data_home_the_development_database_is_in_the_home_folder(
    monkeypatch, tmp_path
):
    monkeypatch.setenv("APP_ENV", "development")
    monkeypatch.delenv("DATABASE_URL")
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))

    expected = Path(tmp_path, ".local", "share", "expense-tracker", "expenses.db")
    assert get_settings().require_database_url() == f"sqlite:///{expected}"


def test_a_dotenv_file_in_the_current_folder_is_read_and_a_variable_wins_over_it(monkeypatch):
    # conftest's `environment` runs each test in an empty folder of its own.
    Path(".env").write_text("ACCESS_TOKEN_EXPIRE_MINUTES=7\nDATABASE_URL=sqlite:///from-file.db\n")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///from-the-environment.db")

    settings = get_settings()

    assert settings.access_token_expire_minutes == 7
    assert settings.require_database_url() == "sqlite:///from-the-environment.db"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("ACCESS_TOKEN_EXPIRE_MINUTES", "soon"),
        ("ACCESS_TOKEN_EXPIRE_MINUTES", "0"),
        ("APP_ENV", "prod"),
    ],
)
def test_a_value_of_the_wrong_kind_is_refused_naming_the_variable(monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)

    with pytest.raises(ConfigurationError, match=f"^{variable}: "):
        get_settings()


def test_a_wrong_value_is_not_repeated_in_the_message_it_may_be_a_secret(monkeypatch):
    monkeypatch.setenv("ACCESS_TOKEN_EXPIRE_MINUTES", "hunter2-not-a-number")

    with pytest.raises(ConfigurationError) as refused:
        get_settings()

    assert "hunter2" not in str(refused.value)


def test_the_cli_user_comes_from_expense_tracker_user(monkeypatch):
    monkeypatch.setenv("EXPENSE_TRACKER_USER", "ada")

    assert get_settings().expense_tracker_user == "ada"
