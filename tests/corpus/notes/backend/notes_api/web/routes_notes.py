"""Notes: a page of yours, one of yours, write, edit and delete."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from notes_api import services
from notes_api.web.deps import CurrentUser, StoreDep
from notes_api.web.schemas import NoteChanges, NoteIn, NoteOut, NotePage

router = APIRouter(prefix="/api/notes", tags=["notes"])
NoteId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("")
def page_of_notes(
    user: CurrentUser,
    store: StoreDep,
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=50)] = 20,
) -> NotePage:
    notes, total = services.notes_page(store, user, page, per_page)
    shown = [NoteOut.model_validate(note) for note in notes]
    return NotePage(notes=shown, page=page, per_page=per_page, total=total)


@router.post("/new", status_code=status.HTTP_201_CREATED)
def write_note(body: NoteIn, user: CurrentUser, store: StoreDep) -> NoteOut:
    note = services.write_note(store, user, body.title, body.body, body.priority)
    return NoteOut.model_validate(note)


@router.get("/note/{note_id}")
def read_note(note_id: NoteId, user: CurrentUser, store: StoreDep) -> NoteOut:
    return NoteOut.model_validate(services.read_note(store, user, note_id))


@router.patch("/note/{note_id}")
def edit_note(note_id: NoteId, body: NoteChanges, user: CurrentUser, store: StoreDep) -> NoteOut:
    changes = body.model_dump(exclude_unset=True)
    return NoteOut.model_validate(services.edit_note(store, user, note_id, changes))


@router.delete("/note/{note_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_note(note_id: NoteId, user: CurrentUser, store: StoreDep) -> Response:
    services.delete_note(store, user, note_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
