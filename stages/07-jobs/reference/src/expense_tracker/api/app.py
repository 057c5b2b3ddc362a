"""The FastAPI application, built by `create_app` (main.py builds the one uvicorn serves).

`create_app` refuses to go on without the settings production needs, sets up the JSON
logs, opens the database once, at start-up, includes one router per resource under /v1
(and /health at the root), and turns the domain's errors into HTTP answers in one place,
so no route needs a try/except. Anything else a route raises is a bug: the middleware
logs it and answers 500 (api/middleware.py).
"""

import logging
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse

from expense_tracker import __version__, bootstrap
from expense_tracker.api.middleware import RequestLogMiddleware
from expense_tracker.api.routes import auth, expenses, health, imports, users
from expense_tracker.core.config import Settings, get_settings
from expense_tracker.core.logs import configure_logging
from expense_tracker.errors import (
    AuthenticationError,
    ConflictError,
    DatabaseUnavailableError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)

Handler = Callable[[Request, Exception], Coroutine[Any, Any, JSONResponse]]
RETRY_AFTER_SECONDS = 5
UNAVAILABLE = "the database is unavailable; try again later"

logger = logging.getLogger(__name__)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    # Here, not in the lifespan: `app = create_app()` in main.py then fails when uvicorn
    # imports it, so the server stops before it listens, naming what is missing.
    settings.require_server_settings()
    database_url = settings.require_database_url()
    configure_logging(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.database = bootstrap.open_database(database_url)
        yield

    app = FastAPI(
        title="Expense tracker",
        version=__version__,
        summary="Record what you spend and see where the money goes.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.add_middleware(RequestLogMiddleware)
    app.include_router(health.router)
    app.include_router(auth.router, prefix="/v1")
    app.include_router(users.router, prefix="/v1")
    app.include_router(expenses.router, prefix="/v1")
    app.include_router(imports.router, prefix="/v1")
    # 401 says "we don't know who you are"; HTTP requires it to name the way to log in
    # (RFC 9110, section 11.6.1), here a bearer token.
    app.add_exception_handler(
        AuthenticationError,
        _answer(status.HTTP_401_UNAUTHORIZED, headers={"WWW-Authenticate": "Bearer"}),
    )
    # 403 says "we know who you are, and you may not".
    app.add_exception_handler(PermissionDeniedError, _answer(status.HTTP_403_FORBIDDEN))
    app.add_exception_handler(NotFoundError, _answer(status.HTTP_404_NOT_FOUND))
    app.add_exception_handler(ConflictError, _answer(status.HTTP_409_CONFLICT))
    app.add_exception_handler(ValidationError, _answer(status.HTTP_422_UNPROCESSABLE_CONTENT))
    app.add_exception_handler(DatabaseUnavailableError, _database_unavailable)
    return app


def _answer(status_code: int, headers: dict[str, str] | None = None) -> Handler:
    """A handler that answers with `status_code` and the error's message as `detail`, the
    shape FastAPI uses for its own errors."""

    async def handler(request: Request, error: Exception) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status_code=status_code, headers=headers)

    return handler


async def _database_unavailable(request: Request, error: Exception) -> JSONResponse:
    """The database does not answer: not the client's fault, and worth a retry, later.
    Why it does not answer (its host, its port, the driver's words) is for the log,
    where an operator reads it, not for a stranger on the internet."""
    logger.warning("database unavailable", extra={"fields": {"reason": str(error)}})
    return JSONResponse(
        {"detail": UNAVAILABLE},
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )
