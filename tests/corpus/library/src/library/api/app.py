"""The web API. Run it with: uvicorn --factory library.api.app:create_app"""

from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse
from fastapi.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm

from library import config, services, storage
from library.api import tokens
from library.api.schemas import BookIn, BookOut, ReaderIn, ReaderOut, Token
from library.books import CatalogError, InvalidBook, NameTaken, NoSuchBook, Reader, WrongLogin
from library.services import Catalog, Readers

STATUS = {NoSuchBook: 404, InvalidBook: 422, NameTaken: 409, WrongLogin: 401}
login = OAuth2PasswordBearer(tokenUrl="/token", auto_error=False)


def _store(request: Request) -> Iterator[tuple[Catalog, Readers]]:
    with storage.session_on(request.app.state.engine) as opened:
        yield opened


Store = Annotated[tuple[Catalog, Readers], Depends(_store)]


def _reader(request: Request, store: Store, token: Annotated[str | None, Depends(login)]) -> Reader:
    reader_id = tokens.reader_in(token, config.SECRET_KEY) if token else None
    reader = store[1].get(reader_id) if reader_id is not None else None
    if reader is None:
        raise HTTPException(401, "log in at /token first", {"WWW-Authenticate": "Bearer"})
    return reader


LoggedIn = Annotated[Reader, Depends(_reader)]
readers = APIRouter(tags=["readers"])
books = APIRouter(prefix="/books", tags=["books"], dependencies=[Depends(_reader)])


@readers.post("/readers")
def sign_up(body: ReaderIn, store: Store) -> ReaderOut:
    reader = services.sign_up(store[1], body.username, body.password)
    return ReaderOut(id=reader.id, username=reader.username)


@readers.post("/token")
def log_in(form: Annotated[OAuth2PasswordRequestForm, Depends()], store: Store) -> Token:
    reader = services.log_in(store[1], form.username, form.password)
    return Token(access_token=tokens.token_for(reader.id, config.SECRET_KEY, config.TOKEN_MINUTES))


@readers.get("/readers/me")
def me(reader: LoggedIn) -> ReaderOut:
    return ReaderOut(id=reader.id, username=reader.username)


@books.get("")
def list_books(
    store: Store,
    limit: Annotated[int, Query(ge=0, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[BookOut]:
    return [BookOut(**b.as_dict()) for b in services.books(store[0], offset, limit)]


@books.post("", status_code=201)
def add_book(body: BookIn, store: Store) -> BookOut:
    book = services.add_book(store[0], body.title, body.author, body.year, body.shelf)
    return BookOut(**book.as_dict())


@books.get("/{book_id}")
def get_book(book_id: int, store: Store) -> BookOut:
    return BookOut(**services.book(store[0], book_id).as_dict())


@books.put("/{book_id}")
def replace_book(book_id: int, body: BookIn, store: Store) -> BookOut:
    book = services.rewrite_book(store[0], book_id, **body.model_dump())
    return BookOut(**book.as_dict())


@books.delete("/{book_id}", status_code=204)
def remove_book(book_id: int, store: Store) -> Response:
    services.remove_book(store[0], book_id)
    return Response(status_code=204)


def _refused(request: Request, error: Exception) -> JSONResponse:
    status = STATUS.get(type(error), 400)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"detail": str(error)}, status_code=status, headers=headers)


def create_app() -> FastAPI:
    if not config.SECRET_KEY:
        raise RuntimeError("SECRET_KEY is not set: the API cannot sign its readers' tokens")
    app = FastAPI(title=f"{config.APP_NAME} catalog")
    app.state.engine = storage.connect()
    app.add_exception_handler(CatalogError, _refused)
    app.include_router(readers)
    app.include_router(books)
    return app
