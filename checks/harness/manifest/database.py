"""`[tool.roadmap.database]`: the variables the project reads its database's location from.

The convention is one variable, DATABASE_URL, holding a URL. Real projects also read
another name (`SQLALCHEMY_DATABASE_URL`), or build the URL from parts (`POSTGRES_USER`,
`POSTGRES_PASSWORD`, ...): the table says which, and the checker fills them for every
program of the learner's it starts. Parts describe a server, so they need PostgreSQL
(stage 4 on); `migrations.scheme` says how a URL to it starts.
"""

from __future__ import annotations

from dataclasses import dataclass

from checks.harness.manifest.table import EXAMPLES, Table

DATABASE_ENV = "DATABASE_URL"
PARTS = ("user", "password", "host", "port", "name")
PARTS_FROM_STAGE = 4

EXAMPLES |= {
    "database.url_env": 'url_env = "SQLALCHEMY_DATABASE_URL"',
    "database.parts": 'parts = { user = "POSTGRES_USER", password = "POSTGRES_PASSWORD", '
    'host = "POSTGRES_HOST", port = "POSTGRES_PORT", name = "POSTGRES_DB" }',
}


@dataclass(frozen=True)
class Database:
    url_env: str = DATABASE_ENV  # the variable that holds the whole URL
    parts: tuple[tuple[str, str], ...] = ()  # (part, variable): the URL in pieces

    def variables(self, url: str) -> dict[str, str]:
        """What a program gets for the database at `url`: the URL, and each part."""
        from urllib.parse import unquote, urlsplit

        found = urlsplit(url)
        pieces = {
            "user": unquote(found.username or ""),
            "password": unquote(found.password or ""),
            "host": found.hostname or "",
            "port": str(found.port or ""),
            "name": found.path.lstrip("/"),
        }
        return {self.url_env: url} | {name: pieces[part] for part, name in self.parts}


def read(table: Table | None, stage: int) -> Database:
    if table is None:
        return Database()
    parts = table.table("parts").data if "parts" in table else {}
    for part, name in parts.items():
        if part not in PARTS:
            raise table.fail("parts", f"{part!r} is not a part of a URL; the parts are "
                             f"{', '.join(PARTS)}")  # fmt: skip
        if not (isinstance(name, str) and name.strip()):
            raise table.fail("parts", f"{part} must name an environment variable")
    if parts and stage < PARTS_FROM_STAGE:
        raise table.fail(
            "parts",
            f"a URL in parts names a database server, which the checker provides from "
            f"stage {PARTS_FROM_STAGE} (PostgreSQL); before it, your program gets a SQLite "
            f"file as {table.get('url_env', str, DATABASE_ENV)}=sqlite:///PATH",
        )
    return Database(
        url_env=table.get("url_env", str, DATABASE_ENV),
        parts=tuple((str(part), str(name)) for part, name in parts.items()),
    )
