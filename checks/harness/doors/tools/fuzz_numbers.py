"""A number in the fuzzer's document: its bounds, and the values past a database column.

Part of tightening the learner's document (fuzz_schema.py). A number's bounds are the
manifest's, widened to what the learner's own document admits: a document that states no
maximum promises to handle any number. Such a number is tried first with the values just
past what PostgreSQL's INTEGER and BIGINT hold, as examples the fuzzer sends before it
draws at random: a random draw reaches 2^63 in a few requests of a hundred, too few for a
time box of seconds.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from checks.harness.manifest import Field

# The first numbers past what PostgreSQL's INTEGER and BIGINT hold (a NUMERIC(10, 2) holds
# less than the first): a client's mistake that must be a 4xx, never the database's error.
PAST_THE_COLUMNS = (2**31, 2**63)


Bound = tuple[Decimal, bool] | None  # a value and whether it is exclusive; None: no bound


def bounds(spec: Field, declared: dict[str, Any]) -> dict[str, int | float]:
    """A number's bounds: the manifest's, widened to what the learner's own document
    admits. A document that states no maximum promises to handle any amount (a planted
    bug beyond the manifest's maximum, a NUMERIC column that overflows, hides there);
    where the document says nothing about numbers, the manifest's bounds hold."""
    numbers = [b for b in _branches(declared) if b.get("type") in ("number", "integer")]
    lower = _loosest(_manifest_bound(spec.min), [_declared(b, "minimum") for b in numbers], -1)
    upper = _loosest(_manifest_bound(spec.max), [_declared(b, "maximum") for b in numbers], 1)
    keywords: dict[str, int | float] = {}
    for bound, name in ((lower, "minimum"), (upper, "maximum")):
        if bound is not None:
            value, exclusive = bound
            keywords["exclusive" + name.capitalize() if exclusive else name] = _number(value)
    return keywords


def _manifest_bound(value: Decimal | None) -> Bound:
    return None if value is None else (value, False)


def _declared(schema: dict[str, Any], name: str) -> Bound:
    """A bound as a JSON schema states it: `minimum`, `exclusiveMinimum` as a number
    (OpenAPI 3.1), or as `true` beside `minimum` (OpenAPI 3.0)."""
    exclusive_name = "exclusive" + name.capitalize()
    exclusive, plain = schema.get(exclusive_name), schema.get(name)
    if isinstance(exclusive, int | float) and not isinstance(exclusive, bool):
        return Decimal(str(exclusive)), True
    if isinstance(plain, int | float) and not isinstance(plain, bool):
        return Decimal(str(plain)), exclusive is True
    return None


def _loosest(manifest: Bound, declared: list[Bound], side: int) -> Bound:
    """The widest of the manifest's bound and the document's (`side` -1: a lower bound,
    1: an upper one). No numeric schema in the document: the manifest's; a numeric
    schema without this bound: none."""
    if not declared:
        return manifest
    if any(bound is None for bound in declared):
        return None
    candidates = [b for b in [manifest, *declared] if b is not None]
    return max(candidates, key=lambda b: (b[0] * side, not b[1]))  # a tie: the inclusive one


def _branches(declared: dict[str, Any]) -> list[dict[str, Any]]:
    nested = [*(declared.get("anyOf") or []), *(declared.get("oneOf") or [])]
    return [declared, *(b for b in nested if isinstance(b, dict))]


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def unbounded(schema: dict[str, Any]) -> bool:
    """A number its schema gives no maximum."""
    return schema.get("type") in ("integer", "number") and not {
        "maximum",
        "exclusiveMaximum",
        "enum",
        "const",
    } & set(schema)


def probed(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with the values past the columns as its first examples."""
    return {**schema, "examples": [*(schema.get("examples") or []), *PAST_THE_COLUMNS]}
