"""Settings, read from the environment once, when the package is imported."""

import os
from pathlib import Path

APP_NAME = os.environ["APP_NAME"]  # every deployment names itself; there is no default
DEFAULT_DATABASE = Path.home() / ".library" / "catalog.db"
DATABASE_URL = os.environ.get("SQLALCHEMY_DATABASE_URL", f"sqlite:///{DEFAULT_DATABASE}")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
TOKEN_MINUTES = int(os.environ.get("TOKEN_MINUTES", "60"))
