"""A job's payload and its expected result, filled with a record's fresh values, and the
comparison of what the status resource says with what the checker expects.

Placeholders are the record's field names (`{amount}`), as in the CLI's arguments. A
string that is a placeholder alone, for a number field, is sent as a JSON number (as the
API door sends records); anywhere else the value is written into the string (a CSV line).
"""

from __future__ import annotations

from typing import Any

from checks.harness.manifest import Field
from checks.harness.manifest.jobs import PLACEHOLDER
from checks.harness.values import as_number


def fill(value: Any, record: dict[str, str], fields: dict[str, Field]) -> Any:
    """`value` (a body or a result from the manifest) with every placeholder filled."""
    if isinstance(value, dict):
        return {key: fill(item, record, fields) for key, item in value.items()}
    if isinstance(value, list):
        return [fill(item, record, fields) for item in value]
    if not isinstance(value, str):
        return value
    whole = PLACEHOLDER.fullmatch(value)
    if whole and whole[1] in record and fields[whole[1]].numeric:
        number = as_number(record[whole[1]])
        if number is not None:
            return int(number) if number == number.to_integral() else float(number)
    return PLACEHOLDER.sub(lambda found: record.get(found[1], found[0]), value)


def matches(expected: Any, got: Any) -> bool:
    """Whether `got` says what `expected` says: numbers by value (12.5, "12.50"), objects
    by the keys expected (more keys are fine: a result may say more), lists in order."""
    if isinstance(expected, dict):
        return isinstance(got, dict) and all(
            key in got and matches(item, got[key]) for key, item in expected.items()
        )
    if isinstance(expected, list):
        return (
            isinstance(got, list)
            and len(got) == len(expected)
            and all(matches(e, g) for e, g in zip(expected, got, strict=True))
        )
    wanted, found = _number(expected), _number(got)
    if wanted is not None and found is not None:
        return bool(wanted == found)
    return bool(expected == got and type(expected) is type(got))


def _number(value: Any) -> Any:
    """The value as a finite number, if it is one or a string that reads as one."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    number = as_number(value)
    return number if number is not None and number.is_finite() else None
