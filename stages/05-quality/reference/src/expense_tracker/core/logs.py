"""Logs as JSON lines on stdout: one object per record, easy to search and count.

The standard library's `logging` does the work; this module adds a formatter that writes
each record as one line of JSON, and the id of the request being served, so every line
a request causes can be found again (ADR 0015). Code logs as usual, with its own fields
under `extra`:

    logger.info("request", extra={"fields": {"method": "GET", "status": 200}})

becomes

    {"time": "...", "level": "info", "logger": "...", "event": "request",
     "method": "GET", "status": 200, "request_id": "4bf92f3577b34da6"}

Never pass a password, a token or a header full of them as a field: logs are read by
many people and kept for a long time.
"""

import json
import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime

# The id of the request being served, set by the API's middleware. A ContextVar follows
# the request into the thread FastAPI runs a `def` route in, and no further.
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

HANDLER_NAME = "json-lines"


class JsonFormatter(logging.Formatter):
    """One line of JSON per record, with its `fields` and the current request's id."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        line.update(getattr(record, "fields", {}))
        current = request_id.get()
        if current is not None:
            line.setdefault("request_id", current)
        if record.exc_info:
            # The traceback goes into the log, for whoever fixes the bug; never to a client.
            line["traceback"] = self.formatException(record.exc_info)
        # default=str: a field that JSON has no type for (a Decimal, a path) still prints.
        return json.dumps(line, default=str)


def configure_logging(level: str = "INFO") -> None:
    """Send every record of this program and of uvicorn, as JSON lines, to stdout.

    Safe to call again (each app the tests build calls it): the handler is replaced, not
    added twice. uvicorn's own access log is switched off, since the API's middleware
    writes a better one (with the request id, and no query string that may hold a secret).
    """
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stdout)
    handler.set_name(HANDLER_NAME)
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    root.setLevel(level)
    # uvicorn gives its loggers handlers of their own, in plain text: send their records
    # to the root logger's JSON handler instead.
    for name in ("uvicorn", "uvicorn.error"):
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True
    logging.getLogger("uvicorn.access").disabled = True
