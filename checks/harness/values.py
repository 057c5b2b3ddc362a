"""Fresh field values for every run, so that only a program that really stores data passes."""

from __future__ import annotations

import datetime as dt
import random
import secrets
import string
from decimal import Decimal, InvalidOperation
from typing import Any

from checks.harness.manifest import Field


def new_password() -> str:
    """A password the checker makes up: random, and starting with letters, so a command
    line never reads it as an option (`--password -x9...` is argparse's "expected one
    argument"), nor a shell as anything but a word."""
    return "pw-" + secrets.token_urlsafe(12)


class ValueMaker:
    """Makes values that fit each field type; seeded, so a run can be repeated exactly.

    Words are made of the field's own name and a fresh token ("category-k3x9", "note
    k3x9"): a value in the learner's own terms, whatever their domain, that no other
    record of the run holds."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def token(self) -> str:
        return "".join(self.rng.choices(string.ascii_lowercase + string.digits, k=4))

    def value(self, field: Field) -> str:
        rng, name = self.rng, field.name.replace("_", "-")
        if field.type == "decimal":
            low = int((field.min if field.min is not None else Decimal("0.01")) * 100)
            high = int((field.max if field.max is not None else Decimal(1000)) * 100)
            return str(Decimal(rng.randint(max(low, 1), high)) / 100)
        if field.type == "int":
            low = int(field.min) if field.min is not None else 0
            high = int(field.max) if field.max is not None else 1000
            return str(rng.randint(max(low, 1), high))
        if field.type == "date":
            day = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randint(0, 3000))
            return day.isoformat()
        if field.type == "url":
            return f"https://{self.token()}.example.com/{name}"
        if field.type == "text":
            return f"{field.name.replace('_', ' ')} {self.token()}"  # a space, to be quoted
        return f"{name}-{self.token()}"

    def record(self, fields: dict[str, Field], **fixed: str) -> dict[str, str]:
        """A valid record: a fresh value for every field, except the ones given."""
        return {name: fixed.get(name) or self.value(field) for name, field in fields.items()}


def as_number(value: Any) -> Decimal | None:
    """Read a JSON value as a number the way a person would: 12.5, "12.50" and 12.500 agree."""
    if isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def same_value(field: Field, sent: str, got: Any) -> bool:
    """Whether a value in the learner's JSON output is the value the checker sent."""
    if field.type in ("decimal", "int"):
        wanted = as_number(sent)  # None for a value sent to be refused, such as "twelve"
        return wanted is not None and as_number(got) == wanted
    return isinstance(got, str) and got == sent
