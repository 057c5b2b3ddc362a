"""Bookmarks in SQLite, with the standard library, at the file DATABASE_URL names."""

import os
import sqlite3

from bookmarks.models import Bookmark

COLUMNS = "id, url, title, visits"


class SqliteStore:
    def __init__(self) -> None:
        self.path = os.environ.get("DATABASE_URL", "sqlite:///bookmarks.db").removeprefix(
            "sqlite:///"
        )
        with sqlite3.connect(self.path) as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS bookmarks "
                "(id INTEGER PRIMARY KEY AUTOINCREMENT, url, title, visits)"
            )

    def _rows(self, sql: str, *args: object) -> list[Bookmark]:
        with sqlite3.connect(self.path) as db:
            return [Bookmark(*row) for row in db.execute(sql, args).fetchall()]

    def insert(self, bookmark: Bookmark) -> Bookmark:
        with sqlite3.connect(self.path) as db:
            cursor = db.execute(
                "INSERT INTO bookmarks (url, title, visits) VALUES (?, ?, ?)",
                (bookmark.url, bookmark.title, bookmark.visits),
            )
            bookmark.id = cursor.lastrowid
        return bookmark

    def get(self, bookmark_id: int) -> Bookmark | None:
        found = self._rows(f"SELECT {COLUMNS} FROM bookmarks WHERE id = ?", bookmark_id)
        return found[0] if found else None

    def page(self, skip: int, limit: int) -> list[Bookmark]:
        return self._rows(
            f"SELECT {COLUMNS} FROM bookmarks ORDER BY id LIMIT ? OFFSET ?", limit, skip
        )

    def save(self, bookmark: Bookmark) -> None:
        with sqlite3.connect(self.path) as db:
            db.execute(
                "UPDATE bookmarks SET url = ?, title = ?, visits = ? WHERE id = ?",
                (bookmark.url, bookmark.title, bookmark.visits, bookmark.id),
            )

    def remove(self, bookmark_id: int) -> None:
        with sqlite3.connect(self.path) as db:
            db.execute("DELETE FROM bookmarks WHERE id = ?", (bookmark_id,))
