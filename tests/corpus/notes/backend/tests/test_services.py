from dataclasses import dataclass, field, replace

import pytest

from notes_api import services
from notes_api.domain import (
    AdminsOnly,
    BadCredentials,
    EmailTaken,
    InvalidNote,
    Note,
    NotFound,
    User,
)


@dataclass
class FakeNotes:
    rows: dict[int, Note] = field(default_factory=dict)

    def add(self, note: Note) -> Note:
        stored = replace(note, id=len(self.rows) + 1)
        self.rows[stored.id] = stored
        return stored

    def get(self, note_id: int) -> Note | None:
        return self.rows.get(note_id)

    def page(self, owner_id, offset, limit):
        mine = [n for n in self.rows.values() if owner_id in (None, n.owner_id)]
        return mine[offset : offset + limit], len(mine)

    def save(self, note: Note) -> Note:
        self.rows[note.id] = note
        return note

    def remove(self, note_id: int) -> None:
        del self.rows[note_id]


@dataclass
class FakeUsers:
    rows: list[User] = field(default_factory=list)

    def add(self, email, password_hash, is_admin):
        user = User(len(self.rows) + 1, email, is_admin, password_hash)
        self.rows.append(user)
        return user

    def by_email(self, email):
        return next((u for u in self.rows if u.email == email), None)

    def by_id(self, user_id):
        return next((u for u in self.rows if u.id == user_id), None)

    def everyone(self):
        return list(self.rows)


@dataclass
class FakeStore:
    notes: FakeNotes = field(default_factory=FakeNotes)
    users: FakeUsers = field(default_factory=FakeUsers)
    commits: int = 0

    def commit(self) -> None:
        self.commits += 1


@pytest.fixture
def store() -> FakeStore:
    return FakeStore()


ADA = User(1, "ada@example.com")
BOB = User(2, "bob@example.com")
ROOT = User(3, "root@example.com", is_admin=True)


def test_a_note_is_written_for_the_user_who_writes_it(store):
    note = services.write_note(store, ADA, "Groceries", "eggs, flour", 2)
    assert (note.owner_id, note.title, note.priority) == (ADA.id, "Groceries", 2)
    assert store.commits == 1


def test_another_users_note_is_not_found_like_a_missing_one(store):
    note = services.write_note(store, ADA, "Diary", "dear diary", None)
    with pytest.raises(NotFound):
        services.read_note(store, BOB, note.id)
    with pytest.raises(NotFound):
        services.delete_note(store, BOB, note.id)
    assert services.read_note(store, ADA, note.id) == note


def test_an_admin_reads_every_note_and_lists_them_all(store):
    services.write_note(store, ADA, "one", "", None)
    services.write_note(store, BOB, "two", "", None)
    assert services.notes_page(store, ROOT, 1, 10)[1] == 2
    assert [n.title for n in services.notes_page(store, BOB, 1, 10)[0]] == ["two"]


def test_an_edit_changes_only_what_it_names(store):
    note = services.write_note(store, ADA, "Draft", "text", 3)
    edited = services.edit_note(store, ADA, note.id, {"title": "Final", "owner_id": 2})
    assert (edited.title, edited.body, edited.priority, edited.owner_id) == ("Final", "text", 3, 1)


def test_a_priority_out_of_range_is_refused(store):
    with pytest.raises(InvalidNote):
        services.write_note(store, ADA, "Urgent", "now", 9)


def test_an_e_mail_address_signs_up_once(store):
    services.sign_up(store, "ada@example.com", "correct horse")
    with pytest.raises(EmailTaken):
        services.sign_up(store, "ada@example.com", "another one")


def test_a_wrong_password_and_an_unknown_address_are_refused_alike(store):
    services.sign_up(store, "ada@example.com", "correct horse")
    with pytest.raises(BadCredentials) as wrong:
        services.log_in(store, "ada@example.com", "wrong horse")
    with pytest.raises(BadCredentials) as unknown:
        services.log_in(store, "nobody@example.com", "correct horse")
    assert str(wrong.value) == str(unknown.value)


def test_only_an_admin_lists_the_users(store):
    with pytest.raises(AdminsOnly):
        services.list_users(store, ADA)
    assert services.list_users(store, ROOT) == []
