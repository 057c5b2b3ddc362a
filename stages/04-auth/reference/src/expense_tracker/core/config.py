"""The program's settings: every value it reads from its environment, in one place.

pydantic-settings fills each field from the environment variable of the same name
(DATABASE_URL for `database_url`, SECRET_KEY for `secret_key`, ...) and checks its type,
so a wrong value fails at start-up with the variable's name in the message, not deep
inside the first request.
"""

import os
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT = "development"
# What SECRET_KEY is when nobody set it. Anyone who reads this file knows it, so a token
# signed with it proves nothing: the API refuses to start with it outside development.
PLACEHOLDER_SECRET_KEY = "insecure-placeholder-key-for-development-only"


def default_database_url() -> str:
    """A SQLite file in the user's data folder (XDG), for when DATABASE_URL is not set."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return f"sqlite:///{Path(base) / 'expense-tracker' / 'expenses.db'}"


class Settings(BaseSettings):
    # An empty variable counts as unset: `DATABASE_URL= expense-tracker list` should not
    # mean "a database with no name", nor `SECRET_KEY=` a key of no characters.
    model_config = SettingsConfigDict(env_ignore_empty=True)

    database_url: str = Field(default_factory=default_database_url)
    # The key that signs access tokens: whoever knows it can log in as anyone. SecretStr
    # keeps it out of reprs, logs and tracebacks (`.get_secret_value()` reads it).
    secret_key: SecretStr = SecretStr(PLACEHOLDER_SECRET_KEY)
    access_token_expire_minutes: int = Field(default=30, gt=0)
    # "production" unless said otherwise: forgetting to set it must fail safe.
    app_env: str = "production"
    # Whom the CLI acts as (see cli.py); the web API never reads it.
    expense_tracker_user: str | None = None

    def require_secret_key(self) -> None:
        """Refuse to go on without a real SECRET_KEY, except in development.

        Called when the web API is built, so the server stops before it listens, with one
        line that names the variable. The CLI never issues a token and never calls it.
        """
        if self.app_env == DEVELOPMENT:
            return
        if self.secret_key.get_secret_value() == PLACEHOLDER_SECRET_KEY:
            raise RuntimeError(
                "SECRET_KEY is not set: export SECRET_KEY=... (a long random string, such as "
                "the output of `python -c 'import secrets; print(secrets.token_urlsafe(32))'`)"
                f", or APP_ENV={DEVELOPMENT} for local work"
            )


def get_settings() -> Settings:
    """The settings as the environment says now.

    Read on every call (it is cheap) rather than once at import, so a test that changes
    DATABASE_URL sees its change. The API reads them once, when it starts.
    """
    return Settings()
