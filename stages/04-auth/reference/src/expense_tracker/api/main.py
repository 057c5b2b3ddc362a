"""The FastAPI application: `uvicorn expense_tracker.api.main:app`.

`create_app` builds it: it refuses to go on without a real SECRET_KEY (outside
development), connects to the database once, at start-up, includes one router per
resource under /v1, and turns the domain's errors into HTTP answers in one place, so no
route needs a try/except.
"""

from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse

from expense_tracker import __version__, bootstrap
from expense_tracker.api.routes import auth, expenses, users
from expense_tracker.core.config import Settings, get_settings
from expense_tracker.errors import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    StorageError,
    ValidationError,
)

Handler = Callable[[Request, Exception], Coroutine[Any, Any, JSONResponse]]


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    # Here, not in the lifespan: `app = create_app()` below then fails when uvicorn imports
    # this module, and uvicorn exits before it listens, its last line naming SECRET_KEY.
    settings.require_secret_key()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.unit_of_work_factory = bootstrap.unit_of_work_factory(settings.database_url)
        yield

    app = FastAPI(
        title="Expense tracker",
        version=__version__,
        summary="Record what you spend and see where the money goes.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.include_router(auth.router, prefix="/v1")
    app.include_router(users.router, prefix="/v1")
    app.include_router(expenses.router, prefix="/v1")
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
    # The database is down or refused the change: not the client's fault, and worth a retry.
    app.add_exception_handler(StorageError, _answer(status.HTTP_503_SERVICE_UNAVAILABLE))
    return app


def _answer(status_code: int, headers: dict[str, str] | None = None) -> Handler:
    """A handler that answers with `status_code` and the error's message as `detail`, the
    shape FastAPI uses for its own errors."""

    async def handler(request: Request, error: Exception) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status_code=status_code, headers=headers)

    return handler


app = create_app()
