"""Read a learner's SQLite database the way an inspector would: read-only, every table."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path


def all_rows(database: Path) -> list[tuple[object, ...]]:
    """Every row of every table, read-only: the checker must not change the database."""
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as connection:
        tables = [
            name
            for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        return [row for table in tables for row in connection.execute(f'SELECT * FROM "{table}"')]
