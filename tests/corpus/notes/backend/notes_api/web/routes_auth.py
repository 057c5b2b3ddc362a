"""Accounts: sign up, log in with e-mail and password (JSON), who am I, and the users list."""

from datetime import timedelta

from fastapi import APIRouter, Request, status

from notes_api import services
from notes_api.web.deps import CurrentUser, StoreDep
from notes_api.web.schemas import LogIn, SignUp, Token, UserOut
from notes_api.web.tokens import issue

router = APIRouter(prefix="/api")


@router.post("/auth/signup", status_code=status.HTTP_201_CREATED)
def sign_up(body: SignUp, store: StoreDep) -> UserOut:
    return UserOut.model_validate(services.sign_up(store, body.email, body.password))


@router.post("/auth/login")
def log_in(body: LogIn, store: StoreDep, request: Request) -> Token:
    user = services.log_in(store, body.email, body.password)
    auth = request.app.state.auth
    lifetime = timedelta(minutes=auth.token_ttl_minutes)
    return Token(access_token=issue(user.id, auth.secret_key.get_secret_value(), lifetime))


@router.get("/auth/me")
def me(user: CurrentUser) -> UserOut:
    return UserOut.model_validate(user)


@router.get("/admin/users")
def all_users(user: CurrentUser, store: StoreDep) -> list[UserOut]:
    return [UserOut.model_validate(u) for u in services.list_users(store, user)]
