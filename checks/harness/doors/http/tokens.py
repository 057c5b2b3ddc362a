"""Tokens the checker signs or breaks itself (stage 4), to see the learner's API refuse them.

The run gives the learner's programs its own signing key (`SECRET_KEY` or the manifest's
name for it), so the checker can read a token the API issued and make one the API would
issue: expired, signed with another key, or not signed at all (`alg: none`).
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import jwt


def claims(token: str, secret: str, algorithm: str) -> dict[str, Any] | None:
    """The token's claims when `secret` signed it; None when it did not."""
    try:
        found: dict[str, Any] = jwt.decode(
            token, secret, algorithms=[algorithm], options={"verify_exp": False}
        )
    except jwt.PyJWTError:
        return None
    return found


def signed(payload: dict[str, Any], secret: str, algorithm: str) -> str:
    return str(jwt.encode(payload, secret, algorithm=algorithm))


def expired(payload: dict[str, Any], secret: str, algorithm: str) -> str:
    """The same claims, signed with the right key, but an hour past their end."""
    now = int(time.time())
    return signed(payload | {"iat": now - 7200, "exp": now - 3600}, secret, algorithm)


def unsigned(payload: dict[str, Any]) -> str:
    """The claims with `alg: none` and no signature: valid to a library that trusts the
    header's algorithm."""
    parts = [{"alg": "none", "typ": "JWT"}, payload]
    encoded = [_b64(json.dumps(part, separators=(",", ":")).encode()) for part in parts]
    return ".".join(encoded) + "."


def edited(token: str) -> str:
    """The token with one character of its payload changed, its signature kept."""
    header, payload, signature = token.split(".")
    middle = len(payload) // 2
    swapped = "A" if payload[middle] != "A" else "B"
    return ".".join([header, payload[:middle] + swapped + payload[middle + 1 :], signature])


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")
