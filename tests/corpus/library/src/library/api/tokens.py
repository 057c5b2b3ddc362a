"""Bearer tokens for readers: JWTs signed with the app's secret key."""

from datetime import UTC, datetime, timedelta

import jwt

ALGORITHM = "HS256"


def token_for(reader_id: int, key: str, minutes: int) -> str:
    expires = datetime.now(UTC) + timedelta(minutes=minutes)
    return jwt.encode({"sub": str(reader_id), "exp": expires}, key, algorithm=ALGORITHM)


def reader_in(token: str, key: str) -> int | None:
    try:
        return int(jwt.decode(token, key, algorithms=[ALGORITHM])["sub"])
    except (jwt.PyJWTError, KeyError, ValueError):
        return None
