"""The answers a route can give besides its success, for /openapi.json.

FastAPI documents a route's success and its 422 by itself. The others come from the
exception handlers in app.py, which it cannot see: each route names them here, so the
documentation tells a client (or a fuzzer) which answers to expect, and an answer it
does not list is a surprise worth a look.
"""

from typing import Any

from expense_tracker.api.schemas import Message

Responses = dict[int | str, dict[str, Any]]


def _answer(status: int, description: str) -> Responses:
    return {status: {"model": Message, "description": description}}


BAD_BODY = _answer(400, "the body cannot be read (not UTF-8, say)")
NEEDS_LOGIN = _answer(401, "no valid access token: log in at /v1/auth/token")
ADMINS_ONLY = _answer(403, "logged in, but not an admin")
NOT_FOUND = _answer(404, "no such expense, or it belongs to someone else")
TAKEN = _answer(409, "the username is taken")
NO_SUCH_IMPORT = _answer(404, "no such import, or it belongs to someone else")
KEY_REUSED = _answer(409, "this Idempotency-Key was used for another import")
UNAVAILABLE = _answer(503, "the database does not answer; try again after Retry-After seconds")
