"""A TOML table that knows its own name, so every error points at the exact key.

Every problem becomes one `ManifestError` line that names the key and shows an example,
because the person reading it is a learner who has never seen our code.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

DOCS_HINT = "see docs/reference/manifest.md"

# One example per key, shown in the error for that key. Each section module adds its own;
# a key whose name means something else elsewhere is qualified by its table ("layers.cli").
EXAMPLES: dict[str, str] = {}


class ManifestError(Exception):
    """The manifest cannot drive the checks; the message says which key and how to fix it."""


class Table:
    def __init__(self, name: str, data: dict[str, Any]) -> None:
        self.name, self.data = name, data

    def fail(self, key: str, problem: str) -> ManifestError:
        table = self.name.rsplit(".", 1)[-1]
        example = EXAMPLES.get(f"{table}.{key}") or EXAMPLES.get(key, "")
        hint = f"; for example: {example}" if example else ""
        return ManifestError(f"[{self.name}] {key}: {problem}{hint} ({DOCS_HINT})")

    def __contains__(self, key: str) -> bool:
        return key in self.data

    def get(self, key: str, kind: type, default: Any = None) -> Any:
        if key not in self.data:
            if default is not None:
                return default
            raise self.fail(key, "is missing")
        value = self.data[key]
        if kind is str and not (isinstance(value, str) and value.strip()):
            raise self.fail(key, f"must be a non-empty string, not {value!r}")
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise self.fail(key, f"must be a whole number, not {value!r}")
        if kind is bool and not isinstance(value, bool):
            raise self.fail(key, f"must be true or false, not {value!r}")
        if kind is list and not (
            isinstance(value, list) and value and all(isinstance(v, str) for v in value)
        ):
            raise self.fail(key, f"must be a non-empty list of strings, not {value!r}")
        if kind is dict and not isinstance(value, dict):
            raise self.fail(key, f"must be a table, not {value!r}")
        return value

    def optional(self, key: str, kind: type) -> Any:
        """The value of `key`, checked against `kind`, or None when it is absent."""
        return self.get(key, kind) if key in self.data else None

    def table(self, key: str) -> Table:
        return Table(f"{self.name}.{key}", self.get(key, dict))

    def choice(self, key: str, choices: tuple[str, ...], default: str | None = None) -> str:
        value: str = self.get(key, str, default)
        if value not in choices:
            raise self.fail(key, f"must be one of {', '.join(choices)}, not {value!r}")
        return value

    def number(self, key: str) -> Decimal | None:
        if key not in self.data:
            return None
        value = self.data[key]
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise self.fail(key, f"must be a number, not {value!r}")
        try:
            return Decimal(str(value))
        except InvalidOperation:
            raise self.fail(key, f"must be a number, not {value!r}") from None
