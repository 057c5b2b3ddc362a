"""The domain: what an expense and a user are, and how a value typed by a user becomes one.

Plain Python and nothing else: no argparse, no SQLAlchemy. The services, the command line
and the web API all share these rules, so they cannot drift apart.
"""

import re
from dataclasses import dataclass, field
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
