"""What the service does, for whoever asks: the web API, the admin command, the tests.

Every use case about notes takes the user it acts for; another user's note is not found,
exactly like a note that does not exist.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Protocol

from notes_api import passwords
from notes_api.domain import AdminsOnly, BadCredentials, EmailTaken, Note, NotFound, User


class Notes(Protocol):
    def add(self, note: Note) -> Note: ...
    def get(self, note_id: int) -> Note | None: ...
    def page(self, owner_id: int | None, offset: int, limit: int) -> tuple[list[Note], int]: ...
    def save(self, note: Note) -> Note: ...
    def remove(self, note_id: int) -> None: ...


class Users(Protocol):
    def add(self, email: str, password_hash: str, is_admin: bool) -> User: ...
    def by_email(self, email: str) -> User | None: ...
    def by_id(self, user_id: int) -> User | None: ...
    def everyone(self) -> list[User]: ...


class Store(Protocol):
    notes: Notes
    users: Users

    def commit(self) -> None: ...


def sign_up(store: Store, email: str, password: str, is_admin: bool = False) -> User:
    if store.users.by_email(email) is not None:
        raise EmailTaken(f"{email} already has an account")
    user = store.users.add(email, passwords.hash_password(password), is_admin)
    store.commit()
    return user


def log_in(store: Store, email: str, password: str) -> User:
    user = store.users.by_email(email)
    if not passwords.verify_password(password, user.password_hash if user else None):
        raise BadCredentials("wrong e-mail address or password")
    assert user is not None
    return user


def find_user(store: Store, user_id: int) -> User | None:
    return store.users.by_id(user_id)


def list_users(store: Store, actor: User) -> list[User]:
    if not actor.is_admin:
        raise AdminsOnly("only an admin may list the users")
    return store.users.everyone()


def write_note(store: Store, actor: User, title: str, body: str, priority: int | None) -> Note:
    note = store.notes.add(Note(actor.id, title, body, priority))
    store.commit()
    return note


def read_note(store: Store, actor: User, note_id: int) -> Note:
    note = store.notes.get(note_id)
    if note is None or not actor.may_read(note):
        raise NotFound(f"there is no note {note_id}")
    return note


def notes_page(store: Store, actor: User, page: int, per_page: int) -> tuple[list[Note], int]:
    owner = None if actor.is_admin else actor.id
    return store.notes.page(owner, (page - 1) * per_page, per_page)


def edit_note(store: Store, actor: User, note_id: int, changes: dict[str, Any]) -> Note:
    allowed = {k: v for k, v in changes.items() if k in ("title", "body", "priority")}
    note = store.notes.save(replace(read_note(store, actor, note_id), **allowed))
    store.commit()
    return note


def delete_note(store: Store, actor: User, note_id: int) -> None:
    read_note(store, actor, note_id)
    store.notes.remove(note_id)
    store.commit()
