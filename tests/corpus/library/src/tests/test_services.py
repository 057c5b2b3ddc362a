from dataclasses import replace

import pytest

from library import services
from library.books import Book, InvalidBook, NoSuchBook


class FakeCatalog:
    def __init__(self) -> None:
        self.books: dict[int, Book] = {}
        self.next_id = 1

    def add(self, book: Book) -> Book:
        stored = replace(book, id=self.next_id)
        self.books[stored.id] = stored
        self.next_id += 1
        return stored

    def get(self, book_id: int) -> Book | None:
        return self.books.get(book_id)

    def all(self, offset: int = 0, limit: int | None = None) -> list[Book]:
        ordered = [self.books[k] for k in sorted(self.books)]
        return ordered[offset : None if limit is None else offset + limit]

    def replace(self, book: Book) -> Book:
        self.books[book.id] = book
        return book

    def remove(self, book_id: int) -> bool:
        return self.books.pop(book_id, None) is not None


@pytest.fixture
def catalog() -> FakeCatalog:
    return FakeCatalog()


def test_an_added_book_is_found_by_its_id(catalog):
    added = services.add_book(catalog, "Kindred", "Octavia E. Butler", 1979, "sf")
    assert services.book(catalog, added.id) == added


def test_a_book_from_before_printing_is_refused(catalog):
    with pytest.raises(InvalidBook):
        services.add_book(catalog, "Beowulf", "Anonymous", 1000, "poetry")


def test_removing_an_unknown_book_says_so(catalog):
    with pytest.raises(NoSuchBook):
        services.remove_book(catalog, 42)


def test_the_shelves_count_their_books(catalog):
    for shelf in ("sf", "poetry", "sf"):
        services.add_book(catalog, "A title", "An author", 1990, shelf)
    assert services.books_per_shelf(catalog) == {"sf": 2, "poetry": 1}


def test_a_rewrite_keeps_the_books_id(catalog):
    added = services.add_book(catalog, "Dune", "Frank Herbert", 1965, "sf")
    rewritten = services.rewrite_book(catalog, added.id, "Dune", "Frank Herbert", 1965, "classics")
    assert (rewritten.id, rewritten.shelf) == (added.id, "classics")
