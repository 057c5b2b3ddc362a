"""Tokens: signed with the app's secret, ending, and refused when forged."""

import re
import time

from checks.harness import environment
from checks.harness.catalog import check
from checks.harness.doors.http import accounts, tokens
from checks.harness.doors.http.client import Answer
from checks.harness.doors.http.fixtures import Users
from checks.harness.doors.http.resource import LearnerApi
from checks.harness.doors.storage import database
from checks.harness.failure import CheckFailed
from checks.harness.manifest import Manifest

MAX_LIFETIME = 24 * 3600  # an access token living longer than a day is a session in disguise


@check("tokens-expire")
def check_tokens_expire(users: Users, manifest: Manifest) -> None:
    """The tokens you issue are signed with your secret setting and carry an `exp` claim.

    Why: a token without an end works forever once it leaks, from a log, a screenshot, a
    stolen laptop. A token signed with a key written in the code can be forged by anyone
    who reads the code (OWASP API2:2023, broken authentication).

    Fix: read the key from the {secret_env} setting, and give every token
    `exp = now + timedelta(minutes=ACCESS_TOKEN_EXPIRE_MINUTES)` when you encode it.
    """
    auth = manifest.require_auth()
    user = users.user("owner")  # only read: this worker's user serves every token check
    secret = environment.secret()
    found = tokens.claims(user.token, secret, auth.algorithm)
    if found is None:
        raise CheckFailed(
            f"the token your login returned is not signed with the key in {auth.secret_env}",
            got=f"a token that {auth.algorithm} with the checker's {auth.secret_env} rejects",
            expected=f"tokens signed ({auth.algorithm}) with the key {auth.secret_env} holds",
            fix=f"read the signing key from the environment ({auth.secret_env}); never write "
            "it in the code, where everyone who reads the code can sign tokens",
        )
    lifetime = found.get("exp", 0) - time.time() if isinstance(found.get("exp"), int) else None
    if lifetime is None or not 0 < lifetime <= MAX_LIFETIME:
        raise CheckFailed(
            "the token your login returned has no `exp` claim, or one not in the next day",
            got=f"claims: {sorted(found)}",
            expected="an `exp` claim minutes (at most a day) from now",
        )


def _refused(answer: Answer, what: str) -> None:
    if answer.status != 401:
        raise answer.failure(
            f"a request with {what} was not refused with 401",
            expected='401, with the header "WWW-Authenticate: Bearer"',
        )
    if not (answer.header("www-authenticate") or "").lower().startswith("bearer"):
        raise answer.failure(
            f"the 401 for {what} has no WWW-Authenticate: Bearer header",
            expected='the header "WWW-Authenticate: Bearer", which tells a client to log in',
            fix='raise HTTPException(401, ..., headers={"WWW-Authenticate": "Bearer"})',
        )


@check("requests-need-a-token")
def check_requests_need_a_token(stranger_api: LearnerApi, manifest: Manifest) -> None:
    """Your records answer 401 (with WWW-Authenticate: Bearer) to a request without a token.

    Why: every record belongs to somebody now; an anonymous request can only be a client
    that forgot to log in, or someone who should not be there (OWASP API2:2023).

    Fix: make the current user a dependency of every route of {collection}
    (`user: User = Depends(current_user)`), built on `OAuth2PasswordBearer`.
    """
    api = stranger_api  # not logged in: this check signs its users up itself
    collection = api.config.collection
    _refused(api.with_auth(None).request("GET", collection), "no token at all")


@check("forged-tokens-401")
def check_forged_tokens_401(stranger_api: LearnerApi, users: Users, manifest: Manifest) -> None:
    """A garbled token, one with an edited payload and one signed with another key all get 401.

    Why: the signature is what makes a token proof: if your API reads the payload without
    checking it, anyone can write `"sub": "1"` and be user 1 (OWASP API2:2023).

    Fix: decode with `jwt.decode(token, key, algorithms=["HS256"])` and turn every
    `jwt.PyJWTError` into a 401; never decode with verification turned off.
    """
    api, auth = stranger_api, manifest.require_auth()
    user = users.user("owner")  # only read: this worker's user serves every token check
    found = tokens.claims(user.token, environment.secret(), auth.algorithm) or {}
    forged = {
        "a token that is not a JWT": "not-a-token",
        "a token whose payload was edited": tokens.edited(user.token),
        "a token signed with another key": tokens.signed(found, "another-key", auth.algorithm),
    }
    collection = api.config.collection
    for what, token in forged.items():
        _refused(api.with_auth(token).request("GET", collection), what)


@check("alg-none-401")
def check_alg_none_401(stranger_api: LearnerApi, users: Users, manifest: Manifest) -> None:
    """A token with `"alg": "none"` and no signature gets 401.

    Why: a JWT names its own algorithm; a server that trusts that header accepts a token
    that says "no signature" from anyone (a classic JWT attack, OWASP API2:2023).

    Fix: always pass the algorithms you accept to decode: `algorithms=["HS256"]`.
    """
    api, auth = stranger_api, manifest.require_auth()
    user = users.user("owner")  # only read: this worker's user serves every token check
    found = tokens.claims(user.token, environment.secret(), auth.algorithm) or {}
    token = tokens.unsigned(found)
    _refused(api.with_auth(token).request("GET", api.config.collection), "an unsigned token")


@check("expired-token-401")
def check_expired_token_401(stranger_api: LearnerApi, users: Users, manifest: Manifest) -> None:
    """A correctly signed token whose `exp` has passed gets 401.

    Why: an end that is not checked is no end: a leaked token would work forever (OWASP
    API2:2023).

    Fix: let PyJWT check `exp` (it does unless told not to) and turn
    `jwt.ExpiredSignatureError` into a 401 like any other invalid token.
    """
    api, auth = stranger_api, manifest.require_auth()
    user = users.user("owner")  # only read: this worker's user serves every token check
    found = tokens.claims(user.token, environment.secret(), auth.algorithm) or {}
    token = tokens.expired(found, environment.secret(), auth.algorithm)
    _refused(api.with_auth(token).request("GET", api.config.collection), "an expired token")


@check("deleted-user-token-401")
def check_deleted_user_token_401(stranger_api: LearnerApi, manifest: Manifest) -> None:
    """The token of a user who no longer exists gets 401.

    Why: a token outlives its user: an account is closed or banned while the token is
    still valid. A server that trusts the token's claims without finding the user lets
    a closed account in until the token expires (OWASP API2:2023).

    Fix: in the dependency that reads the token, load the user it names and raise the
    same 401 when there is none.
    """
    api = stranger_api  # not logged in: this check signs its users up itself
    user = accounts.new_user(api, "leaving")
    url = api.storage.database[0] if api.storage.database else ""
    deleted = database.delete_rows_naming(url, user.name) if url else []
    if not deleted:
        raise CheckFailed(
            "the checker could not find the signed-up user in your database to delete it",
            got=f"no row with {user.name} in a text column",
            expected="the user's row, with the name as it was signed up",
        )
    literal = "'" + user.name.replace("'", "''") + "'"
    for table, column in deleted:  # as the checker did it, for the check's `try` lines
        sql = f"DELETE FROM {_identifier(table)} WHERE {_identifier(column)} = {literal}"
        api.transcript.add(api.storage.sql_line(sql))
    gone = api.with_auth(user.token).request("GET", api.config.collection)
    _refused(gone, "the token of a user the database no longer holds")


def _identifier(name: str) -> str:
    """A table or column name as SQL reads it: bare when it can be."""
    return name if re.fullmatch(r"[a-z_][a-z0-9_]*", name) else '"' + name.replace('"', '""') + '"'
