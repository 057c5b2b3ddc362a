"""A check's words in the learner's own domain: `{record}` becomes "bookmark", not "expense".

Check docstrings write examples with placeholders; reports fill them from the learner's
manifest, and the docs site from the template's default preset (expenses), so a habits
tracker is never told to parse an amount with Decimal.
"""

from __future__ import annotations

import json
import re

from checks.harness.manifest import Field, Manifest
from checks.harness.values import ValueMaker

EXAMPLE_SEED = 0  # the groups a summary's example shows: the same in every report


def summary_fix(records: str, group: Field | None, summed: Field | None) -> str:
    """How to make the summary, said as the manifest says it: a count of `records` per
    group, or the sum of the field `summed`; with output like the checker's own values."""
    name = group.name if group else "group"
    maker = ValueMaker(EXAMPLE_SEED)
    groups = [maker.value(group) for _ in range(2)] if group else [f"{name}-a", f"{name}-b"]
    decimal = summed is not None and summed.type == "decimal"
    numbers = ("2", "1") if summed is None else ("12.5", "3.25") if decimal else ("12", "3")
    pairs = zip(groups, numbers, strict=True)
    example = "{" + ", ".join(f"{json.dumps(value)}: {number}" for value, number in pairs) + "}"
    if summed is None:
        return f"count the {records} per {name} and print a JSON object such as {example}"
    if decimal:
        exactly = f"parse {summed.name} as Decimal, never as a float, which drifts by a cent"
    else:
        exactly = f"parse {summed.name} as int, never as a float: whole numbers then add exactly"
    return (
        f"add up the {summed.name} of the {records} per {name} and print a JSON object such "
        f"as {example}. Add values exactly: {exactly}."
    )


# The template's default preset: what the docs site shows.
DEFAULT_WORDS = {
    "record": "expense",
    "records": "expenses",
    "Record": "Expense",
    "record_id": "expense_id",
    "command": "expense-tracker",
    "package": "expense_tracker",
    "collection": "/v1/expenses",
    "data_env": "DATA_FILE",
    "field": "amount",
    "number_field": "amount",
    "number_type": "Decimal",
    "good_commit": "Store expenses in SQLite",
    "login_field": "username",
    "secret_env": "SECRET_KEY",
    "summary_fix": summary_fix(
        "expenses", Field("category", "word", True), Field("amount", "decimal", True)
    ),
}
PLACEHOLDER = re.compile(r"\{(" + "|".join(DEFAULT_WORDS) + r")\}")


def words_for(manifest: Manifest) -> dict[str, str]:
    record = manifest.record
    ident = re.sub(r"\W+", "_", record).strip("_") or "record"
    numbers = [f for f in manifest.fields.values() if f.numeric]
    number = numbers[0] if numbers else None
    package = manifest.package_name
    records = record + ("es" if record.endswith(("s", "x", "ch", "sh")) else "s")
    return {
        "record": record,
        "records": records,
        "Record": "".join(part.capitalize() for part in ident.split("_")),
        "record_id": f"{ident}_id",
        "command": manifest.cli.command if manifest.cli else "your command",
        "package": package,
        "collection": manifest.api.collection if manifest.api else f"/v1/{records}",
        "data_env": manifest.data_env,
        "field": manifest.required_fields[0].name if manifest.required_fields else "name",
        "number_field": number.name if number else next(iter(manifest.fields)),
        "number_type": "Decimal" if number and number.type == "decimal" else "int",
        "good_commit": f"Store {records} in SQLite",
        "login_field": manifest.auth.login_field if manifest.auth else "username",
        "secret_env": manifest.auth.secret_env if manifest.auth else "SECRET_KEY",
        "summary_fix": _summary_fix(manifest, records),
    }


def _summary_fix(manifest: Manifest, records: str) -> str:
    summary = manifest.summary
    if summary is None:  # no command line: the summary check does not apply
        return f"print a JSON object with a number per group of {records}"
    summed = manifest.fields.get(summary.field) if summary.field else None
    return summary_fix(records, manifest.fields.get(summary.group_by), summed)


def render(text: str, words: dict[str, str] = DEFAULT_WORDS) -> str:
    """`text` with every known placeholder filled; other braces are left as written."""
    return PLACEHOLDER.sub(lambda match: words[match.group(1)], text)
