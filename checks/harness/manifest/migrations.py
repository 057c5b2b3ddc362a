"""`[tool.roadmap.migrations]` (stage 4 on): how the project builds its database schema.

The checker runs `upgrade` on every fresh database before the CLI or the server touches
it, as a deploy would; the schema is the migrations' job, never the app's.
"""

from __future__ import annotations

from dataclasses import dataclass

from checks.harness.manifest.table import EXAMPLES, Table

DEFAULT_UPGRADE = ("alembic", "upgrade", "head")
DEFAULT_SCHEME = "postgresql+psycopg"

EXAMPLES |= {
    "migrations.upgrade": 'upgrade = ["alembic", "upgrade", "head"]',
    "migrations.scheme": 'scheme = "postgresql+psycopg"',
}


@dataclass(frozen=True)
class Migrations:
    upgrade: tuple[str, ...] = DEFAULT_UPGRADE  # run in the project folder, DATABASE_URL set
    scheme: str = DEFAULT_SCHEME  # what DATABASE_URL starts with for PostgreSQL

    @property
    def alembic(self) -> bool:
        """Whether the commands are Alembic's, whose other commands the checks then use."""
        return self.upgrade[0] == "alembic"


def read(table: Table | None) -> Migrations:
    """The section, or the conventions when the project has none."""
    if table is None:
        return Migrations()
    scheme: str = table.get("scheme", str, DEFAULT_SCHEME)
    if not scheme.startswith("postgresql"):
        raise table.fail("scheme", f"must be a PostgreSQL scheme, not {scheme!r}")
    return Migrations(tuple(table.get("upgrade", list, list(DEFAULT_UPGRADE))), scheme)
