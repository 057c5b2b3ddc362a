"""The services' storage on SQLAlchemy: one Store per unit of work (one session)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from notes_api.domain import EmailTaken, Note, User
from notes_api.tables import NoteRow, UserRow


def _note(row: NoteRow) -> Note:
    return Note(row.owner_id, row.title, row.body, row.priority, id=row.id)


def _user(row: UserRow) -> User:
    return User(row.id, row.email, row.is_admin, row.password_hash)


class SqlNotes:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, note: Note) -> Note:
        row = NoteRow(
            owner_id=note.owner_id, title=note.title, body=note.body, priority=note.priority
        )
        self.session.add(row)
        self.session.flush()
        return _note(row)

    def get(self, note_id: int) -> Note | None:
        row = self.session.get(NoteRow, note_id)
        return _note(row) if row else None

    def page(self, owner_id: int | None, offset: int, limit: int) -> tuple[list[Note], int]:
        query = select(NoteRow)
        if owner_id is not None:
            query = query.where(NoteRow.owner_id == owner_id)
        total = self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = self.session.scalars(query.order_by(NoteRow.id).offset(offset).limit(limit))
        return [_note(row) for row in rows], total

    def save(self, note: Note) -> Note:
        row = self.session.get_one(NoteRow, note.id)
        row.title, row.body, row.priority = note.title, note.body, note.priority
        self.session.flush()
        return _note(row)

    def remove(self, note_id: int) -> None:
        self.session.delete(self.session.get_one(NoteRow, note_id))


class SqlUsers:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, email: str, password_hash: str, is_admin: bool) -> User:
        row = UserRow(email=email, password_hash=password_hash, is_admin=is_admin)
        self.session.add(row)
        try:
            self.session.flush()
        except IntegrityError:
            self.session.rollback()
            raise EmailTaken(f"{email} already has an account") from None
        return _user(row)

    def by_email(self, email: str) -> User | None:
        row = self.session.scalar(select(UserRow).where(UserRow.email == email))
        return _user(row) if row else None

    def by_id(self, user_id: int) -> User | None:
        row = self.session.get(UserRow, user_id)
        return _user(row) if row else None

    def everyone(self) -> list[User]:
        return [_user(row) for row in self.session.scalars(select(UserRow).order_by(UserRow.id))]


class SqlStore:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.notes = SqlNotes(session)
        self.users = SqlUsers(session)

    def commit(self) -> None:
        self.session.commit()
