"""The FastAPI application: routers, and the domain's errors as status codes."""

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse

from notes_api.domain import (
    AdminsOnly,
    BadCredentials,
    EmailTaken,
    InvalidNote,
    NotesError,
    NotFound,
)
from notes_api.settings import AuthSettings, auth_settings
from notes_api.web import routes_auth, routes_notes

STATUS = {
    NotFound: status.HTTP_404_NOT_FOUND,
    InvalidNote: 422,
    EmailTaken: status.HTTP_409_CONFLICT,
    BadCredentials: status.HTTP_401_UNAUTHORIZED,
    AdminsOnly: status.HTTP_403_FORBIDDEN,
}


async def domain_error(request: Request, error: Exception) -> JSONResponse:
    code = STATUS.get(type(error), status.HTTP_400_BAD_REQUEST)
    headers = {"WWW-Authenticate": "Bearer"} if code == status.HTTP_401_UNAUTHORIZED else None
    return JSONResponse({"detail": str(error)}, status_code=code, headers=headers)


def create_app(auth: AuthSettings | None = None) -> FastAPI:
    """The app; without a signing key in the environment this raises, naming it."""
    app = FastAPI(title="Notes")
    app.state.auth = auth or auth_settings()
    app.add_exception_handler(NotesError, domain_error)
    app.include_router(routes_auth.router)
    app.include_router(routes_notes.router)
    return app
