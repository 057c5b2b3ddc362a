"""Users and notes, and the rules about them: plain objects, no framework."""

from __future__ import annotations

from dataclasses import dataclass, field

TITLE_MAX = 200
BODY_MAX = 20_000
PRIORITIES = range(1, 6)


class NotesError(Exception):
    """Every error of the domain: the web layer turns each kind into a status code."""


class NotFound(NotesError):
    pass


class InvalidNote(NotesError):
    pass


class EmailTaken(NotesError):
    pass


class BadCredentials(NotesError):
    pass


class AdminsOnly(NotesError):
    pass


@dataclass(frozen=True)
class User:
    id: int
    email: str
    is_admin: bool = False
    password_hash: str = field(default="", repr=False)

    def may_read(self, note: Note) -> bool:
        return self.is_admin or note.owner_id == self.id


@dataclass(frozen=True)
class Note:
    owner_id: int
    title: str
    body: str
    priority: int | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        if not self.title.strip() or len(self.title) > TITLE_MAX:
            raise InvalidNote(f"a title has 1 to {TITLE_MAX} characters")
        if len(self.body) > BODY_MAX:
            raise InvalidNote(f"a body has at most {BODY_MAX} characters")
        if self.priority is not None and self.priority not in PRIORITIES:
            raise InvalidNote("priority goes from 1 (low) to 5 (urgent)")
