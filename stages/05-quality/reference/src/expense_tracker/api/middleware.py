"""One log line per request, a request id on every answer, and bugs kept from clients.

`RequestLogMiddleware` wraps the whole app (it is plain ASGI: it sees every request and
every answer, errors included):

- It takes the client's `X-Request-ID`, or makes one, puts it on the answer, and makes it
  the `request_id` of every log line the request causes (core/logs.py). Whoever reports a
  problem can quote the id, and one search finds everything that request did.
- When the answer is done it logs one access line: method, path, status, duration.
  The path only: a query string may hold something secret, and headers do (a token).
- An exception nothing else handled is a bug. It is logged once, with its traceback, and
  the client gets a plain 500 with the request id: a traceback would show a stranger
  how the code works, and where it breaks.
"""

import logging
import re
import time
import uuid

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from expense_tracker.core import logs

REQUEST_ID_HEADER = "X-Request-ID"
# A client's id is used only when it is short and printable: it goes into every log line
# and back into a header, so it must not be able to forge a line or break a header.
ACCEPTED_ID = re.compile(r"[!-~]{1,128}")
INTERNAL_ERROR = "internal error"

logger = logging.getLogger("expense_tracker.api")


class RequestLogMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # the lifespan's start and stop: not a request
            await self.app(scope, receive, send)
            return
        request_id = self._request_id(scope)
        token = logs.request_id.set(request_id)
        started = time.perf_counter()
        status = 500  # what the client gets if the app never answers at all
        answered = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, answered
            if message["type"] == "http.response.start":
                status, answered = message["status"], True
                MutableHeaders(scope=message).append(REQUEST_ID_HEADER, request_id)
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as error:
            logger.exception("unhandled error", extra={"fields": {"error": type(error).__name__}})
            if not answered:
                body = {"detail": INTERNAL_ERROR, "request_id": request_id}
                await JSONResponse(body, status_code=500)(scope, receive, send_with_id)
            status = 500
        finally:
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            logger.info(
                "request",
                extra={
                    "fields": {
                        "method": scope["method"],
                        "path": scope["path"],
                        "status": status,
                        "duration_ms": duration_ms,
                    }
                },
            )
            logs.request_id.reset(token)

    @staticmethod
    def _request_id(scope: Scope) -> str:
        """The client's X-Request-ID if it is acceptable, else a new random one."""
        sent = Headers(scope=scope).get(REQUEST_ID_HEADER)
        if sent is not None and ACCEPTED_ID.fullmatch(sent):
            return sent
        return uuid.uuid4().hex
