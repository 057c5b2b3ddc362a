"""Access tokens: JWTs signed with HS256, naming the user and when they end."""

from datetime import UTC, datetime, timedelta

import jwt

ALGORITHM = "HS256"


def issue(user_id: int, key: str, lifetime: timedelta) -> str:
    now = datetime.now(UTC)
    claims = {"sub": str(user_id), "iat": now, "exp": now + lifetime}
    return jwt.encode(claims, key, algorithm=ALGORITHM)


def user_id_in(token: str, key: str) -> int | None:
    """The user a token names, or None for any token that is not good (whatever the
    reason: the caller must not tell which)."""
    try:
        claims = jwt.decode(token, key, algorithms=[ALGORITHM], options={"require": ["exp"]})
        return int(claims["sub"])
    except (jwt.PyJWTError, KeyError, ValueError):
        return None
