"""Users over HTTP (stage 4 on): sign up, log in, and carry the login as a bearer token.

A check signs up users of its own, with names no other check uses, so checks sharing a
server never see each other's accounts. Reports show the `curl` lines with the random
passwords the checker chose (so they paste), and `$TOKEN` for the tokens they returned.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from checks.harness.doors.http.client import Answer
from checks.harness.doors.http.resource import LearnerApi
from checks.harness.doors.storage import database
from checks.harness.failure import CheckFailed
from checks.harness.manifest import Auth
from checks.harness.transcript import Transcript

REGISTER = "04-auth/register-answers-201"  # the checks that grade the steps others use
LOGIN = "04-auth/login-returns-a-bearer-token"


@dataclass(frozen=True)
class User:
    name: str  # what the login field holds: a user name or an e-mail address
    password: str
    token: str = ""
    made_by: tuple[str, ...] = ()  # the curl lines that signed them up and logged them in


def new_name(auth: Auth, hint: str = "user") -> str:
    token = secrets.token_hex(4)
    return f"{hint}-{token}@example.com" if auth.login_field == "email" else f"{hint}_{token}"


def new_password() -> str:
    return "pw-" + secrets.token_urlsafe(12)


def sign_up(api: LearnerApi, name: str, password: str, **extra: object) -> Answer:
    """POST the sign-up body: the login field, the password, the manifest's other fields."""
    auth = api.manifest.require_auth()
    body: dict[str, object] = {**dict(auth.sign_up), **extra}
    body |= {auth.login_field: name, auth.password_field: password}
    return api.with_auth(None).request("POST", auth.register, body=body)  # as a stranger


def log_in(api: LearnerApi, name: str, password: str) -> Answer:
    """Log in as the OAuth2 password flow says (a form), or with JSON when declared."""
    auth, stranger = api.manifest.require_auth(), api.with_auth(None)
    if auth.token_body == "form":
        form = {"username": name, "password": password}
        return stranger.request("POST", auth.token, form=form)
    body = {auth.login_field: name, auth.password_field: password}
    return stranger.request("POST", auth.token, body=body)


def token_from(answer: Answer) -> str:
    """The bearer token of a successful login, or a failure of the login step."""
    answer.expect(200, doing="logging in", step=LOGIN)
    body = answer.json()
    token = body.get("access_token") if isinstance(body, dict) else None
    kind = body.get("token_type") if isinstance(body, dict) else None
    if not isinstance(token, str) or not token or str(kind).lower() != "bearer":
        raise CheckFailed(
            "the login did not answer with a bearer token",
            ran=answer.curl,
            got=answer.describe(),
            expected='{"access_token": "...", "token_type": "bearer"}, as OAuth2 says',
            step=LOGIN,
        )
    return token


def new_user(api: LearnerApi, hint: str = "user") -> User:
    """A user signed up and logged in through the API (blocked when either step fails)."""
    auth = api.manifest.require_auth()
    user = User(new_name(auth, hint), new_password())
    signed = sign_up(api, user.name, user.password)
    signed.expect(201, doing=f"signing up a new user at {auth.register}", step=REGISTER)
    login = log_in(api, user.name, user.password)
    return User(user.name, user.password, token_from(login), (signed.curl, login.curl))


def as_user(api: LearnerApi, user: User) -> LearnerApi:
    return api.with_auth(user.token)


# This process's login as the operator: its token and the curl line that got it. Every
# server of the run signs with the run's secret and holds the template's operator, so the
# token is good on each of them, and a login (a slow password hash) is saved per server.
_operator: list[tuple[str, str]] = []


def operator_login(api: LearnerApi) -> LearnerApi:
    """From stage 4, `api` logged in as the run's operator (the admin the CLI acts as),
    so the stage 1-3 checks read and write as one user through both doors."""
    auth = api.manifest.auth
    if auth is None or not database.in_use():
        return api
    made = database.template()
    if not made.operator:
        return api  # no CLI to make an operator with: those checks sign up a user instead
    if _operator:
        token, login_line = _operator[0]
        unseen = api.with_auth(token).with_transcript(Transcript())
        if unseen.request("GET", auth.me).status == 200:  # not an app with its own sessions
            api.transcript.add(login_line)  # so the check's `try` lines still paste
            return api.with_auth(token)
    answer = log_in(api, made.operator, made.password)
    _operator[:] = [(token_from(answer), answer.curl)]
    return api.with_auth(_operator[0][0])
