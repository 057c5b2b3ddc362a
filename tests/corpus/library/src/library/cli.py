"""The `library` command: keep the catalog from a terminal."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

from library import config, services, storage
from library.books import Book, CatalogError
from library.services import Catalog

FORMAT = click.option("--format", "output", type=click.Choice(["table", "json"]), default="table")


@contextmanager
def _catalog() -> Iterator[Catalog]:
    """The catalog, with the domain's refusals turned into one line and exit code 1."""
    try:
        with storage.open_catalog() as (catalog, _readers):
            yield catalog
    except CatalogError as error:
        raise click.ClickException(str(error)) from None


def _table(books: list[Book]) -> None:
    for book in books:
        click.echo(f"{book.id:>4}  {book.title[:40]:<40}  {book.author[:24]:<24}  {book.shelf}")


@click.group(help=f"The {config.APP_NAME} catalog.")
def cli() -> None:
    pass


@cli.command()
@click.argument("title")
@click.option("--by", "author", required=True, help="The author, as printed on the cover.")
@click.option("--year", type=int, required=True, help="The year of this edition.")
@click.option("--shelf", required=True, help="One word: sf, poetry, cookery...")
def add(title: str, author: str, year: int, shelf: str) -> None:
    """Add a book to the catalog."""
    with _catalog() as catalog:
        book = services.add_book(catalog, title, author, year, shelf)
    click.echo(f"Added book {book.id}: {book.title}")


@cli.command("books")
@FORMAT
def list_books(output: str) -> None:
    """List every book."""
    with _catalog() as catalog:
        books = services.books(catalog)
    if output == "json":
        json.dump([book.as_dict() for book in books], sys.stdout, indent=2)
        click.echo()
    else:
        _table(books)


@cli.command("book")
@click.argument("book_id", type=int)
@FORMAT
def show_book(book_id: int, output: str) -> None:
    """Show one book."""
    with _catalog() as catalog:
        book = services.book(catalog, book_id)
    if output == "json":
        json.dump(book.as_dict(), sys.stdout, indent=2)
        click.echo()
    else:
        _table([book])


@cli.command()
@click.argument("book_id", type=int)
def remove(book_id: int) -> None:
    """Take a book out of the catalog."""
    with _catalog() as catalog:
        services.remove_book(catalog, book_id)
    click.echo(f"Removed book {book_id}.")


@cli.command()
@FORMAT
def stats(output: str) -> None:
    """How many books each shelf holds."""
    with _catalog() as catalog:
        per_shelf = services.books_per_shelf(catalog)
    if output == "json":
        json.dump(per_shelf, sys.stdout)
        click.echo()
    else:
        for shelf, count in sorted(per_shelf.items()):
            click.echo(f"{shelf:<20} {count}")


def main() -> None:
    cli(prog_name="library")
