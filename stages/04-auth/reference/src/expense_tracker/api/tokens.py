"""Access tokens: signed JSON Web Tokens (RFC 7519) that say "this is user 42 until 15:30".

The server signs a token with SECRET_KEY (HMAC-SHA256, "HS256") when a user logs in, and
checks the signature on every request after that, so it needs no table of sessions: a
token that verifies was made by us and has not been changed. The claims:

- `sub`: the user's id, as a string (the standard says so);
- `iat`: when it was issued; `exp`: when it stops being accepted.

A token cannot be taken back before `exp`, which is why tokens live minutes, not months.
Only the API issues or reads tokens; the CLI never does.
"""

from datetime import UTC, datetime, timedelta

import jwt

from expense_tracker.models import MAX_ID

ALGORITHM = "HS256"


def create_access_token(user_id: int, secret_key: str, lifetime: timedelta) -> str:
    now = datetime.now(UTC)
    claims = {"sub": str(user_id), "iat": now, "exp": now + lifetime}
    return jwt.encode(claims, secret_key, algorithm=ALGORITHM)


def read_access_token(token: str, secret_key: str) -> int | None:
    """The user id a valid token names; None for any token we did not issue or that has
    expired. Callers answer every None the same way, so an attacker learns nothing from
    which check failed."""
    try:
        claims = jwt.decode(
            token,
            secret_key,
            # Name the one algorithm we sign with. Trusting the token's own "alg" header
            # would let a forger pick "none" (no signature at all) or another algorithm.
            algorithms=[ALGORITHM],
            options={"require": ["exp", "sub"]},  # exp is always checked when present
        )
        user_id = int(claims["sub"])
    except (jwt.InvalidTokenError, ValueError):  # ValueError: a `sub` that is not a number
        return None
    return user_id if 1 <= user_id <= MAX_ID else None
