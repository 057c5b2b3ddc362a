"""The FastAPI application: `uvicorn expense_tracker.api.main:app`.

`create_app` builds it: it connects to the database once, at start-up, includes one router
per resource under /v1, and turns the domain's errors into HTTP answers in one place, so
no route needs a try/except.
"""

from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse

from expense_tracker import __version__, bootstrap
from expense_tracker.api.routes import expenses
from expense_tracker.core.config import Settings, get_settings
from expense_tracker.errors import NotFoundError, StorageError, ValidationError

Handler = Callable[[Request, Exception], Coroutine[Any, Any, JSONResponse]]


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

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
    app.include_router(expenses.router, prefix="/v1")
    app.add_exception_handler(NotFoundError, _answer(status.HTTP_404_NOT_FOUND))
    app.add_exception_handler(ValidationError, _answer(status.HTTP_422_UNPROCESSABLE_CONTENT))
    # The database is down or refused the change: not the client's fault, and worth a retry.
    app.add_exception_handler(StorageError, _answer(status.HTTP_503_SERVICE_UNAVAILABLE))
    return app


def _answer(status_code: int) -> Handler:
    """A handler that answers with `status_code` and the error's message as `detail`, the
    shape FastAPI uses for its own errors."""

    async def handler(request: Request, error: Exception) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status_code=status_code)

    return handler


app = create_app()
