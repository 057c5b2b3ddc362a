"""The tutorial's shape: routes declared with a trailing slash, skip and limit."""

from dataclasses import asdict
from typing import Annotated

from fastapi import FastAPI, HTTPException, Query
from pydantic import BaseModel, Field

from bookmarks import services
from bookmarks.db import SqliteStore
from bookmarks.models import InvalidBookmark

app = FastAPI(title="bookmarks")
store = SqliteStore()


class BookmarkIn(BaseModel):
    url: str = Field(pattern=r"^https?://\S+$")
    title: str = Field(min_length=1)
    visits: int = Field(default=0, ge=0, le=1000)


class BookmarkPatch(BaseModel):
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    title: str | None = Field(default=None, min_length=1)
    visits: int | None = Field(default=None, ge=0, le=1000)


class BookmarkOut(BookmarkIn):
    id: int


def _one(bookmark_id: int) -> services.Bookmark:
    try:
        return services.read(store, bookmark_id)
    except services.NotFound:
        raise HTTPException(404, f"no bookmark {bookmark_id}") from None


@app.post("/bookmarks/", status_code=201)
def create(body: BookmarkIn) -> BookmarkOut:
    try:
        made = services.create(store, body.url, body.title, body.visits)
    except InvalidBookmark as error:
        raise HTTPException(422, str(error)) from None
    return BookmarkOut(**asdict(made))


@app.get("/bookmarks/")
def listing(
    skip: Annotated[int, Query(ge=0)] = 0, limit: Annotated[int, Query(ge=1, le=100)] = 100
) -> list[BookmarkOut]:
    return [BookmarkOut(**asdict(b)) for b in store.page(skip, limit)]


@app.get("/bookmarks/{bookmark_id}")
def read(bookmark_id: int) -> BookmarkOut:
    return BookmarkOut(**asdict(_one(bookmark_id)))


@app.patch("/bookmarks/{bookmark_id}")
def patch(bookmark_id: int, body: BookmarkPatch) -> BookmarkOut:
    _one(bookmark_id)
    changes = body.model_dump(exclude_unset=True)
    return BookmarkOut(**asdict(services.change(store, bookmark_id, **changes)))


@app.delete("/bookmarks/{bookmark_id}", status_code=204)
def delete(bookmark_id: int) -> None:
    _one(bookmark_id)
    services.remove(store, bookmark_id)
