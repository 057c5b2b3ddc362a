"""Settings from the environment (and a local .env file), read with pydantic-settings.

The database is configured in parts, the way the postgres Docker image names them. The
signing key has no default: a service that cannot sign its own tokens must not start.
"""

from functools import lru_cache

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import URL

ENV_FILE = SettingsConfigDict(env_file=".env", extra="ignore")


class DatabaseSettings(BaseSettings):
    model_config = ENV_FILE

    postgres_user: str = "notes"
    postgres_password: SecretStr = SecretStr("")
    postgres_host: str = "localhost"
    postgres_port: int = 5432
    postgres_db: str = "notes"

    @property
    def url(self) -> URL:
        return URL.create(
            "postgresql+psycopg2",
            username=self.postgres_user,
            password=self.postgres_password.get_secret_value() or None,
            host=self.postgres_host,
            port=self.postgres_port,
            database=self.postgres_db,
        )


class AuthSettings(BaseSettings):
    model_config = ENV_FILE

    secret_key: SecretStr
    token_ttl_minutes: int = Field(default=30, gt=0, le=24 * 60)


@lru_cache
def database_settings() -> DatabaseSettings:
    return DatabaseSettings()


@lru_cache
def auth_settings() -> AuthSettings:
    return AuthSettings()
