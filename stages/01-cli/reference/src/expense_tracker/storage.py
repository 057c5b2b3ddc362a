"""Keep every expense in one JSON file.

The file holds an object, not a bare list, so it can remember the next id as well:

    {"next_id": 3, "expenses": [{"id": 1, "amount": "12.50", "category": "food", ...}]}

Storing the counter means an id is never handed out twice, even after the newest expense
is deleted. See docs/decisions/0002-store-expenses-in-a-json-file.md for why a JSON file.
"""

import json
import os
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from expense_tracker.errors import NotFoundError, StorageError, ValidationError
from expense_tracker.models import Expense

DATA_ENV = "DATA_FILE"


def default_path() -> Path:
    """Where the data lives when DATA_FILE is not set: the user's data folder (XDG)."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "expense-tracker" / "expenses.json"


def data_path() -> Path:
    """The data file: $DATA_FILE if it is set, otherwise `default_path()`."""
    value = os.environ.get(DATA_ENV)
    return Path(value) if value else default_path()


@dataclass
class _Contents:
    """Everything the file holds."""

    next_id: int = 1
    expenses: list[Expense] = field(default_factory=list)


class ExpenseRepository:
    """Add, find and delete expenses; every call reads the file, every change rewrites it."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def add(self, amount: Decimal, category: str, note: str = "") -> Expense:
        contents = self._load()
        expense = Expense(id=contents.next_id, amount=amount, category=category, note=note)
        contents.expenses.append(expense)
        contents.next_id += 1
        self._save(contents)
        return expense

    def all(self) -> list[Expense]:
        return self._load().expenses

    def get(self, expense_id: int) -> Expense:
        return _find(self._load().expenses, expense_id)

    def delete(self, expense_id: int) -> Expense:
        contents = self._load()
        expense = _find(contents.expenses, expense_id)
        contents.expenses = [kept for kept in contents.expenses if kept.id != expense_id]
        self._save(contents)
        return expense

    def _load(self) -> _Contents:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return _Contents()  # nothing added yet
        if not text.strip():
            return _Contents()  # an empty file, e.g. created by `touch`
        try:
            data = json.loads(text)
            return _Contents(
                next_id=int(data["next_id"]),
                expenses=[Expense.from_dict(item) for item in data["expenses"]],
            )
        except (ValueError, KeyError, TypeError, ValidationError) as error:
            # json.JSONDecodeError is a ValueError. Name the file so the user can fix it.
            raise StorageError(
                f"{self.path} is not an expense file ({error}); fix it or move it away"
            ) from None

    def _save(self, contents: _Contents) -> None:
        data = {
            "next_id": contents.next_id,
            "expenses": [expense.to_dict() for expense in contents.expenses],
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Write a temporary file in the same folder, then rename it over the real one:
        # os.replace is atomic, so a crash leaves the old file or the new one, never half.
        fd, temp_name = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as temp:
                json.dump(data, temp, indent=2)
                temp.write("\n")
                temp.flush()
                os.fsync(temp.fileno())
            os.replace(temp_name, self.path)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise


def _find(expenses: list[Expense], expense_id: int) -> Expense:
    for expense in expenses:
        if expense.id == expense_id:
            return expense
    raise NotFoundError(f"no expense with id {expense_id}; `list` shows the ids")
