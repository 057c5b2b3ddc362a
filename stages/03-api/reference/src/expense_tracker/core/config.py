"""The program's settings: every value it reads from its environment, in one place.

pydantic-settings fills each field from the environment variable of the same name
(DATABASE_URL for `database_url`) and checks its type, so a wrong value fails at start-up
with the variable's name in the message, not deep inside the first request.
"""

import os
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_database_url() -> str:
    """A SQLite file in the user's data folder (XDG), for when DATABASE_URL is not set."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return f"sqlite:///{Path(base) / 'expense-tracker' / 'expenses.db'}"


class Settings(BaseSettings):
    # An empty variable counts as unset: `DATABASE_URL= expense-tracker list` should not
    # mean "a database with no name".
    model_config = SettingsConfigDict(env_ignore_empty=True)

    database_url: str = Field(default_factory=default_database_url)


def get_settings() -> Settings:
    """The settings as the environment says now.

    Read on every call (it is cheap) rather than once at import, so a test that changes
    DATABASE_URL sees its change. The API reads them once, when it starts.
    """
    return Settings()
