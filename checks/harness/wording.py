"""A check's words in the learner's own domain: `{record}` becomes "bookmark", not "expense".

Check docstrings write examples with placeholders; reports fill them from the learner's
manifest, and the docs site from the template's default preset (expenses), so a habits
tracker is never told to parse an amount with Decimal.
"""

from __future__ import annotations

import re

from checks.harness.manifest import Manifest

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
    "exact_sum": "Add values exactly: parse amount as Decimal, never as a float, which "
    "drifts by a cent.",
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
        "exact_sum": _exact_sum(manifest),
    }


def _exact_sum(manifest: Manifest) -> str:
    """How to add the summary's values exactly, for the field it adds (if it adds one)."""
    summary = manifest.summary
    if summary is not None and not summary.field:
        return f"Count one per {manifest.record}: the summary adds no field."
    name = summary.field if summary and summary.field else None
    field = manifest.fields.get(name) if name else None
    field = field or next((f for f in manifest.fields.values() if f.numeric), None)
    if field is None:
        return "Add values exactly."
    if field.type == "decimal":
        return (
            f"Add values exactly: parse {field.name} as Decimal, never as a float, which "
            "drifts by a cent."
        )
    return f"Parse {field.name} as int, never as a float: whole numbers then add exactly."


def render(text: str, words: dict[str, str] = DEFAULT_WORDS) -> str:
    """`text` with every known placeholder filled; other braces are left as written."""
    return PLACEHOLDER.sub(lambda match: words[match.group(1)], text)
