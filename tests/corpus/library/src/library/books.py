"""What a book is, and what makes one valid. No framework, no database."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

FIRST_PRINTED_BOOK = 1450
LATEST_YEAR = 2030
SHELF = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")


class CatalogError(Exception):
    """Anything the catalog refuses; the message is for the person who asked."""


class NoSuchBook(CatalogError):
    def __init__(self, book_id: int) -> None:
        super().__init__(f"no book has the id {book_id}; `library books` lists them")


class InvalidBook(CatalogError):
    pass


class NameTaken(CatalogError):
    pass


class WrongLogin(CatalogError):
    pass


@dataclass(frozen=True)
class Book:
    title: str
    author: str
    year: int
    shelf: str
    id: int | None = None

    def __post_init__(self) -> None:
        for name in ("title", "author"):
            value = getattr(self, name)
            if not value.strip() or len(value) > 300:
                raise InvalidBook(f"{name} must have 1 to 300 characters")
        if not FIRST_PRINTED_BOOK <= self.year <= LATEST_YEAR:
            raise InvalidBook(f"year must be between {FIRST_PRINTED_BOOK} and {LATEST_YEAR}")
        if not SHELF.fullmatch(self.shelf):
            raise InvalidBook(f"shelf {self.shelf!r} must be one lowercase word, like sf or poetry")

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, **{k: v for k, v in asdict(self).items() if k != "id"}}


@dataclass(frozen=True)
class Reader:
    id: int
    username: str
