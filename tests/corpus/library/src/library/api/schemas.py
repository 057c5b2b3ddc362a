from typing import Annotated

from pydantic import BaseModel, Field

Text = Annotated[str, Field(min_length=1, max_length=300)]


class BookIn(BaseModel):
    title: Text
    author: Text
    year: Annotated[int, Field(ge=1450, le=2030)]
    shelf: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")]


class BookOut(BaseModel):
    id: int
    title: str
    author: str
    year: int
    shelf: str


class ReaderIn(BaseModel):
    username: Annotated[str, Field(min_length=3, max_length=64)]
    password: Annotated[str, Field(min_length=8, max_length=72)]


class ReaderOut(BaseModel):
    id: int
    username: str


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
