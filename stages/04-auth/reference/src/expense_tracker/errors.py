"""The errors the expense tracker raises on purpose.

Code deep inside the package raises one of these; `cli.main` catches the base class in one
place and turns it into a one-line message and an exit code, and the web API turns each
kind into its status code (api/main.py). Any other exception is a bug, and is allowed to
show its traceback.
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


class StorageError(ExpenseTrackerError):
    """The database cannot be opened, or refused a change (see db.py, unit_of_work.py)."""
