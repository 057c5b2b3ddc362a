"""Notes over HTTP in one module, kept in SQLite with the standard library."""

import os
import sqlite3
import uuid
from typing import Annotated

from fastapi import FastAPI, HTTPException, Query
from pydantic import BaseModel, Field


class NoteIn(BaseModel):
    title: str = Field(min_length=1)
    tag: str = Field(pattern=r"^[\w-]+$")
    stars: int = Field(ge=1, le=5)


class NoteOut(NoteIn):
    uuid: str


def build() -> FastAPI:
    path = os.environ["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE IF NOT EXISTS notes (n INTEGER PRIMARY KEY, uuid, title, tag, stars)"
        )
    app = FastAPI(title="notes")

    def query(sql: str, *args: object) -> list[NoteOut]:
        with sqlite3.connect(path) as db:
            rows = db.execute(sql, args).fetchall()
        return [NoteOut(uuid=r[0], title=r[1], tag=r[2], stars=r[3]) for r in rows]

    def one(note_uuid: str) -> NoteOut:
        found = query("SELECT uuid, title, tag, stars FROM notes WHERE uuid = ?", note_uuid)
        if not found:
            raise HTTPException(404, f"no note {note_uuid}")
        return found[0]

    @app.post("/api/v2/my-notes", status_code=201)
    def create(note: NoteIn) -> NoteOut:
        new = NoteOut(uuid=str(uuid.uuid4()), **note.model_dump())
        query(
            "INSERT INTO notes (uuid, title, tag, stars) VALUES (?, ?, ?, ?)",
            new.uuid,
            new.title,
            new.tag,
            new.stars,
        )
        return new

    @app.get("/api/v2/my-notes")
    def listing(
        page: Annotated[int, Query(ge=1)] = 1, size: Annotated[int, Query(ge=1, le=50)] = 10
    ) -> list[NoteOut]:
        return query(
            "SELECT uuid, title, tag, stars FROM notes ORDER BY n LIMIT ? OFFSET ?",
            size,
            (page - 1) * size,
        )

    @app.get("/api/v2/my-notes/{note_uuid}")
    def read(note_uuid: str) -> NoteOut:
        return one(note_uuid)

    @app.put("/api/v2/my-notes/{note_uuid}")
    def replace(note_uuid: str, note: NoteIn) -> NoteOut:
        one(note_uuid)
        query(
            "UPDATE notes SET title = ?, tag = ?, stars = ? WHERE uuid = ?",
            note.title,
            note.tag,
            note.stars,
            note_uuid,
        )
        return one(note_uuid)

    @app.delete("/api/v2/my-notes/{note_uuid}", status_code=204)
    def delete(note_uuid: str) -> None:
        one(note_uuid)
        query("DELETE FROM notes WHERE uuid = ?", note_uuid)

    return app
