"""The errors the expense tracker raises on purpose.

Code deep inside the package raises one of these; `cli.main` catches the base class in one
place and turns it into a one-line message and an exit code. Any other exception is a bug,
and is allowed to show its traceback.
"""


class ExpenseTrackerError(Exception):
    """Something the user can fix; its message is shown to them as it is."""


class ValidationError(ExpenseTrackerError):
    """A value the user gave is not acceptable (an amount that is not a number, ...)."""


class NotFoundError(ExpenseTrackerError):
    """No expense has the id the user asked for."""


class StorageError(ExpenseTrackerError):
    """The database cannot be opened, or refused a change (see db.py, unit_of_work.py)."""
