"""Users over HTTP (stage 4 on): sign up, log in, and carry the login as a bearer token.

A check signs up users of its own, with names no other check uses, so checks sharing a
server never see each other's accounts. Reports show the `curl` lines with the random
passwords the checker chose (throw-away ones, so the lines paste as they are), and each
login's token captured in a variable of its own (`TOKEN_OWNER`) that later lines use.
"""

from __future__ import annotations

from dataclasses import dataclass

from checks.harness.doors.http.client import Answer
from checks.harness.doors.http.resource import LearnerApi
from checks.harness.doors.storage import database
from checks.harness.failure import Blocked, CheckFailed
from checks.harness.manifest import Auth
from checks.harness.transcript import Capture, Step, Transcript
from checks.harness.values import new_password

REGISTER = "04-auth/register-answers-201"  # the checks that grade the steps others use
LOGIN = "04-auth/login-returns-a-bearer-token"
ADMIN = "04-auth/admin-from-the-cli"
# The fixes of the steps, which every check that signs up or logs in may meet: before
# stage 4 no check grades them, so a check's own fix would send the learner elsewhere.
LOGIN_FIX = (
    'make the login route answer 200 and {"access_token": "...", "token_type": "bearer"} '
    "to a user who signed up; if it is not the OAuth2 password form, say how it differs in "
    "[tool.roadmap.auth] (token, token_body, login_field)"
)
OPERATOR_FIX = (
    "your admin command exited 0, but the user it made cannot log in: store the user with "
    "the password hashed as sign-up hashes it, and commit"
)
REGISTER_FIX = (
    "make sign-up accept a new user (201 Created) with a name and a password of 8 characters "
    "or more; if it is not a JSON object of the login field and the password, say how it differs "
    "in [tool.roadmap.auth] (register, login_field, password_field, sign_up)"
)


@dataclass(frozen=True)
class User:
    name: str  # what the login field holds: a user name or an e-mail address
    password: str
    token: str = ""
    made_by: tuple[Step, ...] = ()  # the requests that signed them up and logged them in


def new_name(auth: Auth, hint: str = "user") -> str:
    return auth.new_login(hint)


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


def token_from(answer: Answer, part: str = "user") -> str:
    """The bearer token of a successful login, or a failure of the login step. Later
    lines of the transcript name it TOKEN_<PART> (TOKEN_OWNER, TOKEN_OTHER)."""
    answer.expect(200, doing="logging in", step=LOGIN, fix=LOGIN_FIX)
    body = answer.json()
    token = body.get("access_token") if isinstance(body, dict) else None
    kind = body.get("token_type") if isinstance(body, dict) else None
    if not isinstance(token, str) or not token or str(kind).lower() != "bearer":
        raise CheckFailed(
            "the login did not answer with a bearer token",
            ran=answer.curl,
            got=answer.describe(),
            expected='{"access_token": "...", "token_type": "bearer"}, as OAuth2 says',
            fix=LOGIN_FIX,
            step=LOGIN,
        )
    if answer.step is not None:
        variable = "TOKEN_" + "".join(c if c.isalnum() else "_" for c in part.upper())
        answer.step.capture = Capture(variable, "access_token", token)
    return token


def new_user(api: LearnerApi, hint: str = "user") -> User:
    """A user signed up and logged in through the API (blocked when either step fails)."""
    auth = api.manifest.require_auth()
    user = User(new_name(auth, hint), new_password())
    signed = sign_up(api, user.name, user.password)
    # A step needs the user to exist; the status itself (201) is graded by REGISTER, from
    # stage 4: a login declared before it may sign users up with a 200.
    signed.expect(
        200, 201, doing=f"signing up a new user at {auth.register}", step=REGISTER, fix=REGISTER_FIX
    )
    login = log_in(api, user.name, user.password)
    token = token_from(login, hint)
    return User(user.name, user.password, token, _steps(signed, login))


def _steps(*answers: Answer) -> tuple[Step, ...]:
    return tuple(answer.step or Step.line(answer.curl) for answer in answers)


def as_user(api: LearnerApi, user: User) -> LearnerApi:
    return api.with_auth(user.token)


# This process's login as the operator: its token and the request that got it. Every
# server of the run signs with the run's secret and holds the template's operator, so the
# token is good on each of them, and a login (a slow password hash) is saved per server.
_operator: list[tuple[str, Step]] = []
OPERATOR_PART = "admin"  # the operator's token is TOKEN_ADMIN in a transcript


def acting_login(api: LearnerApi) -> tuple[LearnerApi, tuple[Step, ...]]:
    """`api` logged in as the user the stage 1-3 checks act as, and the lines that made
    the login (for the checks' `try` lines): from stage 4, for a project with a CLI, the
    run's operator, the admin the CLI acts as too, so both doors read and write as one
    user; else, where the manifest declares logins (an API-only project, or a login before
    stage 4), an ordinary user signed up on this server, so that the checks of the API
    never stand on the admin command; `api` itself when nobody logs in."""
    if api.manifest.auth is None:
        return api, ()
    quiet = api.with_transcript(Transcript())  # the caller adds the lines where they belong
    if database.in_use() and api.manifest.cli is not None:
        made = database.operator()  # its failure blocks the checks that act as them
        if made.name:
            token, login = _operator_token(quiet, made)
            return api.with_auth(token), (login,)
    member = new_user(quiet, "member")
    return api.with_auth(member.token), member.made_by


def as_operator(api: LearnerApi, step: str = ADMIN) -> LearnerApi:
    """`api` logged in as the run's operator, the admin the project's own command made
    (stage 4), with the login in its transcript. A login the operator cannot make is
    graded by `step`: the admin command's check, for the checks that need an admin."""
    made = database.operator()  # the command's failure: its check grades it
    if not made.name:
        raise Blocked(ADMIN, "no command made an admin")
    token, login = _operator_token(api.with_transcript(Transcript()), made, step)
    api.transcript.add(login)
    return api.with_auth(token)


def _operator_token(
    api: LearnerApi, made: database.Operator, step: str = ADMIN
) -> tuple[str, Step]:
    """The operator's token and the login that got it, reused where the server accepts it.
    Users who sign up log in (LOGIN grades that); when the operator cannot, the command
    that made them is where it broke, and `step` names the check that grades it."""
    auth = api.manifest.require_auth()
    if _operator:
        token, login = _operator[0]
        if api.with_auth(token).request("GET", auth.me).status == 200:  # no own sessions
            return token, login
    answer = log_in(api, made.name, made.password)
    try:
        token = token_from(answer, OPERATOR_PART)
    except CheckFailed as failure:
        failure.problem = f"the admin your command made could not log in: {failure.problem}"
        failure.step, failure.fix = step, OPERATOR_FIX
        raise
    _operator[:] = [(token, _steps(answer)[0])]
    return _operator[0]
