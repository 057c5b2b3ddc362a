"""Signing up and logging in: what comes back, and what never does."""

from checks.harness.catalog import check
from checks.harness.doors.http import accounts
from checks.harness.doors.http.fixtures import Users
from checks.harness.doors.http.resource import LearnerApi
from checks.harness.failure import CheckFailed
from checks.harness.manifest import Manifest
from checks.harness.values import new_password

SECRET_WORDS = ("password", "hash", "secret")


@check("register-answers-201")
def check_register_answers_201(stranger_api: LearnerApi, manifest: Manifest) -> None:
    """Signing up answers 201 with the new user, and no password or hash in the body.

    Why: an answer is logged, cached and shown by clients; a password hash in it can be
    cracked offline. The API says what it stored about the user, never the secret (OWASP
    API3:2023, broken object property level authorization).

    Fix: declare a response model for sign-up (say `UserOut` with id and {login_field})
    and return the user through it; hash the password before storing it.
    """
    api = stranger_api  # not logged in: this check signs its users up itself
    auth = manifest.require_auth()
    name, password = accounts.new_name(auth), new_password()
    answer = accounts.sign_up(api, name, password)
    answer.expect(201, doing=f"signing up a new user at {auth.register}")
    body = answer.json()
    leaked = _secret_keys(body) + (["the password itself"] if password in answer.text else [])
    if leaked:
        raise answer.failure(
            f"the sign-up answer holds {', '.join(leaked)}",
            expected="the new user without any password, hash or secret field",
            fix="return a response model that lists only public fields (id, user name)",
        )


def _secret_keys(body: object) -> list[str]:
    """Keys that name a secret, anywhere in a JSON value."""
    if isinstance(body, dict):
        found = [f"`{k}`" for k in body if any(w in str(k).lower() for w in SECRET_WORDS)]
        return found + [key for value in body.values() for key in _secret_keys(value)]
    if isinstance(body, list):
        return [key for value in body for key in _secret_keys(value)]
    return []


@check("duplicate-user-409")
def check_duplicate_user_409(stranger_api: LearnerApi, users: Users) -> None:
    """Signing up a name that is taken answers 409, never a 5xx.

    Why: two accounts with one name would make every login ambiguous; a 500 tells an
    attacker which names exist and tells a real user nothing.

    Fix: give the column a unique constraint (the database guards it even under races),
    catch the IntegrityError in the service, raise your own error, and map it to 409.
    """
    api = stranger_api  # not logged in: it signs up again as this worker's user
    name = users.user("owner").name  # signed up already
    again = accounts.sign_up(api, name, new_password())
    again.expect(409, doing=f"signing up {name} a second time")


@check("short-password-422")
def check_short_password_422(stranger_api: LearnerApi, manifest: Manifest) -> None:
    """A password shorter than the minimum is refused with 422; a very long one never crashes.

    Why: short passwords fall to guessing in minutes. A very long one must not crash or
    stall the server either: hashing a megabyte is a denial of service.

    Fix: validate the password in the sign-up schema (`Field(min_length=8, max_length=128)`)
    so FastAPI answers 422 before your code runs.
    """
    api = stranger_api  # not logged in: this check signs its users up itself
    auth = manifest.require_auth()
    short = "p" * (auth.min_password - 1)
    answer = accounts.sign_up(api, accounts.new_name(auth), short)
    answer.expect(422, doing=f"signing up with a {len(short)}-character password")
    accounts.sign_up(api, accounts.new_name(auth), "p" * 100_000)  # any answer but a 5xx


@check("sign-up-grants-no-admin")
def check_sign_up_grants_no_admin(stranger_api: LearnerApi, manifest: Manifest) -> None:
    """Sending is_admin or role at sign-up grants nothing.

    Why: "mass assignment" is how a public form makes its sender an admin: the server
    copies every field it receives into the model (OWASP API3:2023). Only an admin may
    make an admin.

    Fix: accept only the fields sign-up needs in its schema (pydantic ignores the rest, or
    forbid them for a 422), and set the admin flag only in the CLI's create-admin.
    """
    api = stranger_api  # not logged in: this check signs its users up itself
    auth = manifest.require_auth()
    name, password = accounts.new_name(auth, "climber"), new_password()
    extra = {"is_admin": True, "role": "admin", "is_superuser": True}
    answer = accounts.sign_up(api, name, password, **extra)
    if answer.status == 422:
        return  # refused: fine
    answer.expect(201, 422, doing="signing up with is_admin and role set")
    climber = api.with_auth(accounts.token_from(accounts.log_in(api, name, password), "climber"))
    admin_route = climber.request("GET", auth.admin_only)
    if admin_route.status < 400:
        raise admin_route.failure(
            "a user who sent is_admin and role at sign-up may use the admin route",
            expected="403: the sign-up fields made nobody an admin",
            fix="leave is_admin and role out of the sign-up schema; set them in the CLI only",
        )


@check("login-returns-a-bearer-token")
def check_login_returns_a_bearer_token(
    stranger_api: LearnerApi, users: Users, manifest: Manifest
) -> None:
    """Logging in answers 200 with an access token of type bearer, and it opens the me route.

    Why: this is the OAuth2 password flow every client library and the /docs page speak:
    a form with username and password, an answer with `access_token` and `token_type`.

    Fix: use `OAuth2PasswordRequestForm` at the token route, check the password with your
    hasher, and return `{"access_token": token, "token_type": "bearer"}`.
    """
    api, auth = stranger_api, manifest.require_auth()
    user = users.user("owner")  # signed up and logged in (once per worker), or why not
    me = api.with_auth(user.token).request("GET", auth.me)
    me.expect(200, doing=f"asking {auth.me} with the token the login returned")
    if user.name not in me.text:
        raise me.failure(
            f"{auth.me} does not answer the user who logged in",
            expected=f"the user {user.name}",
        )


@check("wrong-password-401")
def check_wrong_password_401(stranger_api: LearnerApi, users: Users) -> None:
    """A wrong password answers 401 (400 accepted), with no token.

    Why: a login that lets a wrong password in is no login; one that crashes on it gives
    attackers a way to probe.

    Fix: verify the password with your hasher's verify function and raise a 401
    HTTPException with `headers={"WWW-Authenticate": "Bearer"}` when it does not match.
    """
    api = stranger_api  # not logged in: it tries to log in as this worker's user
    user = users.user("owner")
    answer = accounts.log_in(api, user.name, user.password + "x")
    answer.expect(401, 400, doing="logging in with a wrong password")
    if "access_token" in answer.text:
        raise answer.failure("a wrong password got a token", expected="no token")


@check("no-user-enumeration")
def check_no_user_enumeration(stranger_api: LearnerApi, users: Users, manifest: Manifest) -> None:
    """An unknown user and a wrong password get the same status and the same body.

    Why: when "no such user" and "wrong password" differ, anyone can test which e-mail
    addresses have an account, then aim at those (OWASP ASVS V2.2, account enumeration).

    Fix: answer both with one message such as "incorrect username or password"; check a
    dummy hash when the user does not exist, so the time does not tell either.
    """
    api = stranger_api  # not logged in: it tries to log in as this worker's user
    auth = manifest.require_auth()
    user = users.user("owner")
    wrong = accounts.log_in(api, user.name, user.password + "x")
    unknown = accounts.log_in(api, accounts.new_name(auth, "nobody"), user.password)
    if (wrong.status, wrong.text) != (unknown.status, unknown.text):
        raise CheckFailed(
            "an unknown user and a wrong password get different answers",
            ran=f"{wrong.curl}\n{unknown.curl}",
            got=f"wrong password: {wrong.describe()}\nunknown user: {unknown.describe()}",
            expected="the same status and body for both",
        )
