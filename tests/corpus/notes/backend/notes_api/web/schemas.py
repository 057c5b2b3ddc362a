"""What goes over the wire. Nothing here reaches the database by itself."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field

Password = Annotated[str, Field(min_length=8, max_length=128)]
Title = Annotated[str, Field(min_length=1, max_length=200)]
Body = Annotated[str, Field(max_length=20_000)]
Priority = Annotated[int, Field(ge=1, le=5)]


class SignUp(BaseModel):
    email: EmailStr
    password: Password


class LogIn(BaseModel):
    email: str
    password: str


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    is_admin: bool


class NoteIn(BaseModel):
    title: Title
    body: Body
    priority: Priority | None = None


class NoteChanges(BaseModel):
    title: Title | None = None
    body: Body | None = None
    priority: Priority | None = None


class NoteOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    owner_id: int
    title: str
    body: str
    priority: int | None


class NotePage(BaseModel):
    notes: list[NoteOut]
    page: int
    per_page: int
    total: int
