"""The errors the expense tracker raises on purpose.

Code deep inside the package raises one of these; `cli.main` catches the base class in one
place and turns it into a one-line message and an exit code, and the web API turns each
kind into its status code (api/app.py). Any other exception is a bug: the CLI shows its
traceback, and the API logs it and answers 500 (api/middleware.py).
"""


class ExpenseTrackerError(Exception):
    """Something the user can fix; its message is shown to them as it is."""


class ValidationError(ExpenseTrackerError):
    """A value the user gave is not acceptable (an amount that is not a number, ...)."""


class NotFoundError(ExpenseTrackerError):
    """No record has the id the user asked for, or none that this user may see."""


class ConflictError(ExpenseTrackerError):
    """The change would break a rule about what already exists: a username that is taken."""


class AuthenticationError(ExpenseTrackerError):
    """We don't know who is asking: a wrong password, or a missing or invalid token."""


class PermissionDeniedError(ExpenseTrackerError):
    """We know who is asking, and they may not do this (a user who is not an admin)."""


class ConfigurationError(ExpenseTrackerError):
    """A setting the program needs is missing or wrong (see core/config.py)."""


class StorageError(ExpenseTrackerError):
    """The database cannot be used: a malformed URL, a missing driver, missing tables."""


class DatabaseUnavailableError(StorageError):
    """The database does not answer now: it is down, restarting or refusing connections.
    Not the client's fault, and worth a retry (the API answers 503 with Retry-After)."""
