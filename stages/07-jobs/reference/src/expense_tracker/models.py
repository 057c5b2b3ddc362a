"""The domain: what an expense, a user and a job are, and how a value typed by a user
becomes one.

Plain Python and nothing else: no argparse, no SQLAlchemy. The services, the command line
and the web API all share these rules, so they cannot drift apart.
"""

import csv
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from expense_tracker.errors import ValidationError

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("10000")
_WORD = re.compile(r"[\w-]+")  # letters, digits, "_" and "-": "food", "eating-out"
# ASCII only: "аlice" with a Cyrillic "а" looks like "alice" on screen, and must not be
# a second account that passes for hers. "@" and "." let an email address be a username.
_USERNAME = re.compile(r"[A-Za-z0-9_.@+-]{3,64}")
MIN_PASSWORD, MAX_PASSWORD = 8, 128
MAX_NOTE = 500
# The biggest id our tables can hold: ids are INTEGER columns, 32 bits in PostgreSQL. A
# bigger number names no record, and asking PostgreSQL about one is an error, not a miss.
MAX_ID = 2**31 - 1
# A job's states, in the order a job goes through them; the last two are final.
QUEUED, RUNNING, SUCCEEDED, FAILED = "queued", "running", "succeeded", "failed"
FINISHED = (SUCCEEDED, FAILED)
IMPORT = "import"  # the one kind of job so far: expenses imported from CSV text
MAX_IMPORT_ROWS = 1000  # more than a month of anyone's receipts; bigger files are split
IMPORT_COLUMNS = ("amount", "category")  # required; `note` is optional


@dataclass(frozen=True)
class Expense:
    """One stored expense. The storage gives it its id; its values are already valid."""

    id: int
    owner_id: int  # the id of the user who recorded it
    amount: Decimal
    category: str
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        # The amount is written as a string, "12.50", not as a JSON number: JSON numbers are
        # read back as floats, and a float cannot hold most cents exactly (0.1 + 0.2 is
        # 0.30000000000000004), so totals would drift. A string round-trips through Decimal.
        return {
            "id": self.id,
            "amount": f"{self.amount:.2f}",
            "category": self.category,
            "note": self.note,
            "owner_id": self.owner_id,
        }


@dataclass(frozen=True)
class User:
    """Someone who may log in. Only the hash of their password is ever stored."""

    id: int
    username: str
    # repr=False: a hash that ends up in a log or a traceback is one an attacker can try
    # to crack offline.
    password_hash: str = field(repr=False)
    is_admin: bool = False

    def may_see(self, expense: Expense) -> bool:
        """An admin sees every expense; anyone else sees only their own."""
        return self.is_admin or expense.owner_id == self.id


@dataclass(frozen=True)
class Page:
    """One slice of a long list: at most `limit` expenses, after skipping `offset` of
    them, and how many there are in all (so a client knows when to stop asking)."""

    items: list[Expense]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True)
class Job:
    """Work a user asked for that runs later, in a worker: its state, and its outcome.

    `payload` is what the worker needs to do it (for an import, the CSV text); `result` is
    what it produced once `succeeded`; `error`, why it did not once `failed`. `attempts`
    counts the times a worker started it: more than one means a worker died, or lost its
    lease, while running it.
    """

    id: uuid.UUID
    owner_id: int
    kind: str
    payload: dict[str, Any]
    status: str
    attempts: int
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    result: dict[str, Any] | None = None
    error: str | None = None

    @property
    def finished(self) -> bool:
        return self.status in FINISHED


@dataclass(frozen=True)
class ImportRow:
    """One expense to import: a line of the CSV, already valid."""

    line: int
    amount: Decimal
    category: str
    note: str


def parse_import(text: str) -> list[ImportRow]:
    """The expenses in CSV text whose first line names the columns: `amount` and
    `category`, and `note` if you like. Every line is checked before any is kept, and the
    first bad one is named by its line number, so the user can fix the file and try again.
    """
    reader = csv.DictReader(text.splitlines())
    try:
        missing = [name for name in IMPORT_COLUMNS if name not in (reader.fieldnames or [])]
        if missing:
            raise ValidationError(
                "the first line must name the columns amount and category (and note if you "
                f"like), separated by commas; {' and '.join(missing)} is missing"
            )
        return [_import_row(record, reader.line_num) for record in reader]
    except csv.Error as error:  # a field too long for the reader, say: not usable CSV
        raise ValidationError(f"line {reader.line_num + 1}: not CSV ({error})") from None


def _import_row(record: dict[str, str | None], line: int) -> ImportRow:
    if line > MAX_IMPORT_ROWS + 1:  # the first line names the columns
        raise ValidationError(f"line {line}: at most {MAX_IMPORT_ROWS} expenses per import")
    try:
        return ImportRow(
            line=line,
            amount=parse_amount(record["amount"] or ""),
            category=parse_category(record["category"] or ""),
            note=parse_note(record.get("note") or ""),
        )
    except ValidationError as error:
        raise ValidationError(f"line {line}: {error}") from None


def parse_amount(text: str) -> Decimal:
    """Turn "12.5" into Decimal("12.50"); reject anything that is not a sensible amount."""
    try:
        amount = Decimal(text.strip())
    except InvalidOperation:
        raise ValidationError(f"amount {text!r} is not a number; write it like 12.50") from None
    # Decimal happily parses "NaN" and "Infinity": neither is an amount of money.
    if not amount.is_finite():
        raise ValidationError(f"amount {text!r} is not a number; write it like 12.50")
    if amount <= 0:
        raise ValidationError(f"amount must be more than 0, got {text!r}")
    if amount > MAX_AMOUNT:
        raise ValidationError(f"amount must be at most {MAX_AMOUNT}, got {text!r}")
    if amount != amount.quantize(CENT):
        # Rejected, not rounded: silently changing what the user typed hides their typo.
        raise ValidationError(f"amount {text!r} has more than 2 decimal places")
    return amount.quantize(CENT)


def parse_category(text: str) -> str:
    """A category is one word, such as "food" or "eating-out"."""
    category = text.strip()
    if not _WORD.fullmatch(category):
        raise ValidationError(
            f"category must be one word of letters, digits, '-' or '_', got {text!r}"
        )
    return category


def parse_note(text: str) -> str:
    """Any text up to MAX_NOTE characters, except the NUL character: PostgreSQL cannot
    store it in a text column, and refuses the whole row."""
    if len(text) > MAX_NOTE:
        raise ValidationError(f"note must be at most {MAX_NOTE} characters")
    if "\x00" in text:
        raise ValidationError("note must not contain the NUL character (\\x00)")
    return text


def is_valid_username(text: str) -> bool:
    """Whether `text` could be someone's username (see parse_username)."""
    return _USERNAME.fullmatch(text) is not None


def parse_username(text: str) -> str:
    """3 to 64 ASCII letters, digits or `_ . @ + -`, kept exactly as typed: no spaces are
    trimmed, so the name a user registers is the name they log in with."""
    if not is_valid_username(text):
        raise ValidationError(
            f"username must be 3 to 64 letters, digits or '_.@+-' (no spaces), got {text!r}"
        )
    return text


def parse_password(text: str) -> str:
    """A password long enough to resist guessing, and short enough that hashing it is
    cheap: without a cap, a client could make the server hash a megabyte per request.
    The message never repeats the password."""
    if len(text) < MIN_PASSWORD:
        raise ValidationError(f"password must be at least {MIN_PASSWORD} characters")
    if len(text) > MAX_PASSWORD:
        raise ValidationError(f"password must be at most {MAX_PASSWORD} characters")
    return text
