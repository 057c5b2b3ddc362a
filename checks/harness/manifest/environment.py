"""`[tool.roadmap.env]`: other variables the learner's programs need, and their values.

A real project may read a variable the checker has no convention for (a `SECRET_KEY` at
import time before stage 4, a `LOG_LEVEL`, an `APP_ENV`). The table gives each a value,
with placeholders the checker fills for each program: `{secret}` (the run's signing key,
which the checker knows) and `{database_url}` (the program's own throw-away database).
"""

from __future__ import annotations

import re

from checks.harness.manifest.table import EXAMPLES, Table

PLACEHOLDERS = ("secret", "database_url")
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

EXAMPLES |= {"env": 'SECRET_KEY = "{secret}"  (under [tool.roadmap.env])'}


def read(table: Table | None) -> tuple[tuple[str, str], ...]:
    """The declared variables and their values, placeholders left in."""
    if table is None:
        return ()
    pairs = []
    for name, value in table.data.items():
        if not NAME.fullmatch(name):
            raise table.fail(name, "is not a name an environment variable can have")
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise table.fail(name, f"must be a string or a number, not {value!r}")
        text = str(value)
        unknown = [p for p in PLACEHOLDER.findall(text) if p not in PLACEHOLDERS]
        if unknown:
            known = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
            raise table.fail(name, f"has the placeholder {{{unknown[0]}}}; the known ones are "
                             f"{known}")  # fmt: skip
        pairs.append((name, text))
    return tuple(pairs)


def fill(pairs: tuple[tuple[str, str], ...], values: dict[str, str]) -> dict[str, str]:
    """The variables with their placeholders filled (one with no value left as written)."""
    return {
        name: PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), value)
        for name, value in pairs
    }
