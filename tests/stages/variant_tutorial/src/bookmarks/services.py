"""What the API can do with bookmarks, on any store that has the same five methods."""

from typing import Protocol

from bookmarks.models import Bookmark, check


class NotFound(LookupError):
    pass


class Store(Protocol):
    def insert(self, bookmark: Bookmark) -> Bookmark: ...
    def get(self, bookmark_id: int) -> Bookmark | None: ...
    def page(self, skip: int, limit: int) -> list[Bookmark]: ...
    def save(self, bookmark: Bookmark) -> None: ...
    def remove(self, bookmark_id: int) -> None: ...


def create(store: Store, url: str, title: str, visits: int = 0) -> Bookmark:
    check(url, title, visits)
    return store.insert(Bookmark(None, url, title, visits))


def read(store: Store, bookmark_id: int) -> Bookmark:
    found = store.get(bookmark_id)
    if found is None:
        raise NotFound(bookmark_id)
    return found


def change(store: Store, bookmark_id: int, **changes: object) -> Bookmark:
    bookmark = read(store, bookmark_id)
    for name, value in changes.items():
        setattr(bookmark, name, value)
    check(bookmark.url, bookmark.title, bookmark.visits)
    store.save(bookmark)
    return bookmark


def remove(store: Store, bookmark_id: int) -> None:
    read(store, bookmark_id)
    store.remove(bookmark_id)
