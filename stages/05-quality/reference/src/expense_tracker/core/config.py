"""The program's settings: every value it reads from its environment, in one place.

pydantic-settings fills each field from the environment variable of the same name
(DATABASE_URL for `database_url`, SECRET_KEY for `secret_key`, ...), or from a `.env` file
in the folder the program runs in (a real variable wins over the file). It checks each
value's type, so a wrong one fails at start-up with the variable's name in the message,
not deep inside the first request. `.env.example` lists every variable.

Production is the default: APP_ENV unset means production, so forgetting it fails safe.
In production DATABASE_URL and SECRET_KEY have no fallback, and the web API refuses to
start without them. APP_ENV=development fills them in (a SQLite file, a placeholder key)
for work on your own machine.
"""

import os
from pathlib import Path
from typing import Literal, Self

from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from expense_tracker.errors import ConfigurationError

DEVELOPMENT, PRODUCTION = "development", "production"
# What SECRET_KEY is in development when nobody set it. Anyone who reads this file knows
# it, so a token signed with it proves nothing: production refuses it.
PLACEHOLDER_SECRET_KEY = "insecure-placeholder-key-for-development-only"
MIN_SECRET_KEY = 32  # characters; HS256 wants a key at least as long as its 256-bit hash
NEW_KEY = "python -c 'import secrets; print(secrets.token_urlsafe(32))'"


def default_database_url() -> str:
    """A SQLite file in the user's data folder (XDG): development's fallback."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return f"sqlite:///{Path(base) / 'expense-tracker' / 'expenses.db'}"


class Settings(BaseSettings):
    # An empty variable counts as unset: `DATABASE_URL= expense-tracker list` should not
    # mean "a database with no name", nor `SECRET_KEY=` a key of no characters.
    # extra="ignore": a .env may hold variables for other tools (compose, psql).
    model_config = SettingsConfigDict(env_file=".env", env_ignore_empty=True, extra="ignore")

    app_env: Literal["development", "production"] = PRODUCTION
    database_url: str | None = None
    # The key that signs access tokens: whoever knows it can log in as anyone. SecretStr
    # keeps it out of reprs, logs and tracebacks (`.get_secret_value()` reads it).
    secret_key: SecretStr | None = None
    access_token_expire_minutes: int = Field(default=30, gt=0)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # Whom the CLI acts as (see cli.py); the web API never reads it.
    expense_tracker_user: str | None = None

    @model_validator(mode="after")
    def _development_fallbacks(self) -> Self:
        """Only development gets a default database and key; production must say."""
        if self.app_env == DEVELOPMENT:
            self.database_url = self.database_url or default_database_url()
            self.secret_key = self.secret_key or SecretStr(PLACEHOLDER_SECRET_KEY)
        return self

    def require_database_url(self) -> str:
        if self.database_url is None:
            raise ConfigurationError(
                "DATABASE_URL is not set: export DATABASE_URL=postgresql+psycopg://USER:"
                f"PASSWORD@HOST:5432/DATABASE, or APP_ENV={DEVELOPMENT} for a local SQLite file"
            )
        return self.database_url

    def require_secret_key(self) -> str:
        """The signing key; in production, a real one: set, long, and not the placeholder."""
        key = self.secret_key.get_secret_value() if self.secret_key else None
        if key is None:
            raise ConfigurationError(
                f"SECRET_KEY is not set: export SECRET_KEY=... (a long random string, such "
                f"as the output of `{NEW_KEY}`), or APP_ENV={DEVELOPMENT} for local work"
            )
        if self.app_env == PRODUCTION and (
            key == PLACEHOLDER_SECRET_KEY or len(key) < MIN_SECRET_KEY
        ):
            raise ConfigurationError(
                f"SECRET_KEY is too weak for production: use {MIN_SECRET_KEY} random "
                f"characters or more, such as the output of `{NEW_KEY}`"
            )
        return key

    def require_server_settings(self) -> None:
        """Everything the web API needs, checked together, so that one failed start names
        every variable that is missing, not only the first."""
        problems = []
        for require in (self.require_database_url, self.require_secret_key):
            try:
                require()
            except ConfigurationError as error:
                problems.append(str(error))
        if problems:
            raise ConfigurationError("; ".join(problems))


def get_settings() -> Settings:
    """The settings as the environment says now.

    Read on every call (it is cheap) rather than once at import, so a test that changes
    DATABASE_URL sees its change. The API reads them once, when it starts. A value of the
    wrong type is a ConfigurationError naming its variable (never repeating the value,
    which may be a secret).
    """
    try:
        return Settings()
    except ValidationError as error:
        problems = [
            f"{'.'.join(str(part) for part in problem['loc']).upper()}: {problem['msg']}"
            for problem in error.errors()
        ]
        raise ConfigurationError("; ".join(problems)) from None
