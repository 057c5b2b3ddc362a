"""The dependencies routes share: a unit of work, and the user a bearer token names."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from notes_api import services
from notes_api.database import unit_of_work
from notes_api.domain import User
from notes_api.services import Store
from notes_api.web import tokens

bearer = HTTPBearer(auto_error=False)
NOT_LOGGED_IN = HTTPException(
    status.HTTP_401_UNAUTHORIZED,
    "log in at /api/auth/login and send the token as: Authorization: Bearer TOKEN",
    headers={"WWW-Authenticate": "Bearer"},
)


def get_store() -> Iterator[Store]:
    with unit_of_work() as store:
        yield store


StoreDep = Annotated[Store, Depends(get_store)]


def current_user(
    request: Request,
    store: StoreDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> User:
    key = request.app.state.auth.secret_key.get_secret_value()
    user_id = tokens.user_id_in(credentials.credentials, key) if credentials else None
    user = services.find_user(store, user_id) if user_id is not None else None
    if user is None:
        raise NOT_LOGGED_IN
    return user


CurrentUser = Annotated[User, Depends(current_user)]
