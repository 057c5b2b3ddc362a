"""The manifest reference page documents every key the checker reads, and no other.

Fast: it reads docs/reference/manifest.md as text and needs no site build.
"""

import re

import pytest

from checks.harness.manifest import EXAMPLES
from tests.docs.conftest import ROOT

PAGE = ROOT / "docs/reference/manifest.md"
# EXAMPLES keys that name a whole table: documented by a row for the table or for its keys.
TABLES = frozenset({"fields", "layers", "api", "cli", "auth", "env", "jobs"})
KEYS_TABLE_HEADER = re.compile(r"^\|\s*key\s*\|", re.M)
ROW_KEY = re.compile(r"^\|\s*`([\w.]+)`\s*\|", re.M)


def documented_keys() -> set[str]:
    """The backticked keys in the first column of the page's key tables."""
    text = PAGE.read_text(encoding="utf-8")
    keys: set[str] = set()
    for header in KEYS_TABLE_HEADER.finditer(text):
        table = text[header.start() :].split("\n\n", 1)[0]
        keys |= set(ROW_KEY.findall(table))
    return keys


def is_documented(key: str, rows: set[str]) -> bool:
    if "." in key:  # qualified ("layers.cli"): its own row, exactly
        return key in rows
    if key in TABLES:
        return key in rows or any(row.startswith(f"{key}.") for row in rows)
    return key in rows or any(row.endswith(f".{key}") for row in rows)


def is_known(row: str) -> bool:
    """A row names a key the manifest reads, or a placeholder in a table (`fields.NAME`)."""
    table, _, rest = row.partition(".")
    return (
        row in EXAMPLES
        or row.rsplit(".", 1)[-1] in EXAMPLES
        or (table in TABLES and rest.isupper())
    )


def test_the_page_has_key_tables_to_read():
    assert len(documented_keys()) > 20


@pytest.mark.parametrize("key", sorted(EXAMPLES))
def test_every_key_the_manifest_reads_has_a_row_on_the_reference_page(key):
    assert is_documented(key, documented_keys()), (
        f"{key!r} is read by checks/harness/manifest/ but has no row `{key}` in {PAGE.name}"
    )


def test_every_documented_key_is_one_the_manifest_reads():
    stale = [row for row in sorted(documented_keys()) if not is_known(row)]
    assert stale == [], f"{PAGE.name} documents keys the checker does not read: {stale}"
