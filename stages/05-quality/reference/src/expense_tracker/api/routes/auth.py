"""/auth/token: log in with the OAuth2 password flow and get an access token.

The client sends a form (`username=...&password=...`, as RFC 6749 says), not JSON; that is
what the /docs page's "Authorize" button and every OAuth2 client send.
"""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm

from expense_tracker import services
from expense_tracker.api import tokens
from expense_tracker.api.deps import SettingsDep, UnitOfWorkDep
from expense_tracker.api.responses import BAD_BODY, UNAVAILABLE
from expense_tracker.api.schemas import Message, Token

router = APIRouter(prefix="/auth", tags=["auth"], responses=UNAVAILABLE)
WRONG_LOGIN = {401: {"model": Message, "description": "incorrect username or password"}}


@router.post("/token", responses=WRONG_LOGIN | BAD_BODY)
def log_in(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    uow: UnitOfWorkDep,
    settings: SettingsDep,
) -> Token:
    """Trade a username and password for a bearer token. A wrong password and an unknown
    username get the same 401, so the answer doesn't tell which usernames exist."""
    user = services.authenticate(uow, form.username, form.password)
    token = tokens.create_access_token(
        user.id,
        settings.secret_key.get_secret_value(),
        timedelta(minutes=settings.access_token_expire_minutes),
    )
    return Token(access_token=token)
