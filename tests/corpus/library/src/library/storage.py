"""The catalog in SQLite (or any database SQLAlchemy speaks), where SQLALCHEMY_DATABASE_URL
says. Tables are created on first use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, ForeignKey, String, create_engine, make_url, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from library import config
from library.books import Book, NameTaken, Reader


class Base(DeclarativeBase):
    pass


class BookRow(Base):
    __tablename__ = "books"
    __table_args__ = {"sqlite_autoincrement": True}  # an id is never given twice

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    author: Mapped[str] = mapped_column(String(300))
    year: Mapped[int]
    shelf: Mapped[str] = mapped_column(String(40), index=True)
    added_by: Mapped[int | None] = mapped_column(ForeignKey("readers.id"))


class ReaderRow(Base):
    __tablename__ = "readers"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(100))


def _book(row: BookRow) -> Book:
    return Book(row.title, row.author, row.year, row.shelf, id=row.id)


class SqlCatalog:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, book: Book) -> Book:
        row = BookRow(title=book.title, author=book.author, year=book.year, shelf=book.shelf)
        self.session.add(row)
        self.session.commit()
        return _book(row)

    def get(self, book_id: int) -> Book | None:
        row = self.session.get(BookRow, book_id)
        return _book(row) if row else None

    def all(self, offset: int = 0, limit: int | None = None) -> list[Book]:
        query = select(BookRow).order_by(BookRow.id).offset(offset).limit(limit)
        return [_book(row) for row in self.session.scalars(query)]

    def replace(self, book: Book) -> Book:
        row = self.session.get_one(BookRow, book.id)
        row.title, row.author, row.year, row.shelf = book.title, book.author, book.year, book.shelf
        self.session.commit()
        return _book(row)

    def remove(self, book_id: int) -> bool:
        row = self.session.get(BookRow, book_id)
        if row is None:
            return False
        self.session.delete(row)
        self.session.commit()
        return True


class SqlReaders:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, username: str, password_hash: str) -> Reader:
        row = ReaderRow(username=username, password_hash=password_hash)
        self.session.add(row)
        try:
            self.session.commit()
        except IntegrityError:
            self.session.rollback()
            raise NameTaken(f"the username {username} is taken") from None
        return Reader(row.id, row.username)

    def password_hash(self, username: str) -> tuple[Reader, str] | None:
        row = self.session.scalar(select(ReaderRow).where(ReaderRow.username == username))
        return (Reader(row.id, row.username), row.password_hash) if row else None

    def get(self, reader_id: int) -> Reader | None:
        row = self.session.get(ReaderRow, reader_id)
        return Reader(row.id, row.username) if row else None


def connect(url: str | None = None) -> Engine:
    """An engine on the catalog's database, its tables created if they are not there yet."""
    parsed = make_url(url or config.DATABASE_URL)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed)
    Base.metadata.create_all(engine)
    return engine


@contextmanager
def session_on(engine: Engine) -> Iterator[tuple[SqlCatalog, SqlReaders]]:
    """The catalog and its readers on one session, closed when the block ends."""
    with Session(engine, expire_on_commit=False) as session:
        yield SqlCatalog(session), SqlReaders(session)


@contextmanager
def open_catalog(url: str | None = None) -> Iterator[tuple[SqlCatalog, SqlReaders]]:
    """For one command: connect, work on one session, let go of the database."""
    engine = connect(url)
    try:
        with session_on(engine) as opened:
            yield opened
    finally:
        engine.dispose()
