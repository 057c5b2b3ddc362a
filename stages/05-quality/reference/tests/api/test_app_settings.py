"""The app refuses to be built without the settings production needs, and says which."""

import runpy

import pytest

from expense_tracker.api.app import create_app
from expense_tracker.core.config import Settings
from expense_tracker.errors import ConfigurationError


@pytest.mark.parametrize("variable", ["DATABASE_URL", "SECRET_KEY"])
def test_without_a_required_setting_the_app_is_not_built_and_the_error_names_it(
    monkeypatch, variable
):
    monkeypatch.delenv(variable)

    with pytest.raises(ConfigurationError, match=f"^{variable} is not set"):
        create_app(Settings())


def test_one_failed_start_names_every_missing_setting(monkeypatch):
    monkeypatch.delenv("DATABASE_URL")
    monkeypatch.delenv("SECRET_KEY")

    with pytest.raises(ConfigurationError, match="DATABASE_URL is not set.*SECRET_KEY is not set"):
        create_app(Settings())


def test_importing_the_app_without_a_setting_exits_with_one_line_naming_it(monkeypatch):
    # What uvicorn does first: import the module. It must stop there, before it listens.
    monkeypatch.delenv("DATABASE_URL")

    with pytest.raises(SystemExit) as stopped:
        runpy.run_module("expense_tracker.api.main")

    assert str(stopped.value).startswith("error: DATABASE_URL is not set")
    assert "\n" not in str(stopped.value)


def test_in_development_the_app_is_built_without_a_secret_key_or_a_database_url(monkeypatch):
    monkeypatch.delenv("SECRET_KEY")
    monkeypatch.delenv("DATABASE_URL")
    monkeypatch.setenv("APP_ENV", "development")

    assert create_app(Settings()).title == "Expense tracker"
