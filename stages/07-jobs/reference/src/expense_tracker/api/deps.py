"""What routes ask FastAPI to hand them, as `Annotated` aliases a route names in one word.

`UnitOfWorkDep` comes from the database the app opened at start-up; a test overrides
`get_unit_of_work` to hand in a fake instead (app.dependency_overrides), and
`get_database_check` to play a database that is up or down. `CurrentUser` is the user the
request's bearer token names, or a 401 for the request.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Path, Query, Request
from fastapi.security import OAuth2PasswordBearer

from expense_tracker import services
from expense_tracker.api import tokens
from expense_tracker.bootstrap import Database
from expense_tracker.core.config import Settings
from expense_tracker.errors import AuthenticationError
from expense_tracker.models import MAX_ID, User
from expense_tracker.services import UnitOfWork

MAX_PAGE = 100  # a client cannot ask for the whole table at once
# No table of ours can hold more rows than ids (MAX_ID), so an offset beyond that can only
# be a mistake or an attack. Unbounded, ?offset=2**63 reached PostgreSQL, which cannot
# hold it in a BIGINT, and the client's mistake became our 5xx.
MAX_OFFSET = MAX_ID
TOKEN_URL = "/v1/auth/token"
# One answer for every token we cannot accept (missing, malformed, forged, expired, or
# naming a user who no longer exists), so a caller cannot tell which check failed.
INVALID_TOKEN = f"invalid or missing access token; log in at {TOKEN_URL} to get one"

# Reads `Authorization: Bearer <token>`, and tells OpenAPI (and the /docs page's
# "Authorize" button) where tokens come from. auto_error=False: a missing header gets our
# own 401 answer, the same as a bad token, instead of FastAPI's.
bearer_token = OAuth2PasswordBearer(tokenUrl=TOKEN_URL, auto_error=False)


def get_app_settings(request: Request) -> Settings:
    """The settings the app was built with (create_app), not the environment's now."""
    settings: Settings = request.app.state.settings
    return settings


def get_unit_of_work(request: Request) -> UnitOfWork:
    database: Database = request.app.state.database  # opened in the lifespan (app.py)
    return database.unit_of_work()


def get_database_check(request: Request) -> Callable[[], bool]:
    database: Database = request.app.state.database
    return database.is_up


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
UnitOfWorkDep = Annotated[UnitOfWork, Depends(get_unit_of_work)]
DatabaseCheckDep = Annotated[Callable[[], bool], Depends(get_database_check)]


def get_current_user(
    token: Annotated[str | None, Depends(bearer_token)],
    uow: UnitOfWorkDep,
    settings: SettingsDep,
) -> User:
    """The user the bearer token names. The token is checked first, and the database is
    asked only about a user id we signed ourselves."""
    secret_key = settings.secret_key.get_secret_value()
    user_id = tokens.read_access_token(token, secret_key) if token else None
    user = services.find_user(uow, user_id) if user_id is not None else None
    if user is None:
        raise AuthenticationError(INVALID_TOKEN)
    return user


@dataclass(frozen=True)
class PageParams:
    limit: int
    offset: int


def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="at most this many")] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="skip this many first")] = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


# An id above MAX_ID in the URL is refused (422) before it can crash a query (500).
ExpenseId = Annotated[int, Path(ge=1, le=MAX_ID, description="the expense's id")]
CurrentUser = Annotated[User, Depends(get_current_user)]
PageDep = Annotated[PageParams, Depends(page_params)]
JobId = Annotated[uuid.UUID, Path(description="the job's id, from the Location header")]
# A client's key for "this request, not a new one" (the IETF Idempotency-Key draft): short
# and printable, since it is stored, and a header cannot carry much else anyway.
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        pattern=r"^[!-~]{1,255}$",
        description="send the same key again to get the same job, not a second import",
    ),
]
