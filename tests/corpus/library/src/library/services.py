"""The catalog's use cases, shared by the command line and the web API."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Protocol

from passlib.context import CryptContext

from library.books import Book, InvalidBook, NameTaken, NoSuchBook, Reader, WrongLogin

passwords = CryptContext(schemes=["bcrypt"])


class Catalog(Protocol):
    def add(self, book: Book) -> Book: ...
    def get(self, book_id: int) -> Book | None: ...
    def all(self, offset: int = 0, limit: int | None = None) -> list[Book]: ...
    def replace(self, book: Book) -> Book: ...
    def remove(self, book_id: int) -> bool: ...


class Readers(Protocol):
    def add(self, username: str, password_hash: str) -> Reader: ...
    def password_hash(self, username: str) -> tuple[Reader, str] | None: ...
    def get(self, reader_id: int) -> Reader | None: ...


def add_book(catalog: Catalog, title: str, author: str, year: int, shelf: str) -> Book:
    return catalog.add(Book(title, author, year, shelf))


def books(catalog: Catalog, offset: int = 0, limit: int | None = None) -> list[Book]:
    if offset < 0 or (limit is not None and limit < 0):
        raise InvalidBook("offset and limit cannot be negative")
    return catalog.all(offset, limit)


def book(catalog: Catalog, book_id: int) -> Book:
    found = catalog.get(book_id)
    if found is None:
        raise NoSuchBook(book_id)
    return found


def rewrite_book(catalog: Catalog, book_id: int, title: str, author: str, year: int,
                 shelf: str) -> Book:  # fmt: skip
    current = book(catalog, book_id)
    return catalog.replace(replace(current, title=title, author=author, year=year, shelf=shelf))


def remove_book(catalog: Catalog, book_id: int) -> None:
    if not catalog.remove(book_id):
        raise NoSuchBook(book_id)


def books_per_shelf(catalog: Catalog) -> dict[str, int]:
    return dict(Counter(b.shelf for b in catalog.all()))


def sign_up(readers: Readers, username: str, password: str) -> Reader:
    if readers.password_hash(username) is not None:
        raise NameTaken(f"the username {username} is taken")
    return readers.add(username, passwords.hash(password))


def log_in(readers: Readers, username: str, password: str) -> Reader:
    found = readers.password_hash(username)
    if found is None:
        passwords.dummy_verify()
        raise WrongLogin("wrong username or password")
    reader, password_hash = found
    if not passwords.verify(password, password_hash):
        raise WrongLogin("wrong username or password")
    return reader
