"""`[tool.roadmap.fields]`: the fields of one record, their types and bounds."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from checks.harness.manifest.table import EXAMPLES, Table

TYPES = ("decimal", "int", "word", "text", "date", "url")
NUMERIC = ("decimal", "int")

EXAMPLES |= {
    "fields": 'amount = { type = "decimal", required = true, min = 0.01, max = 10000 }',
}


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool
    min: Decimal | None = None
    max: Decimal | None = None

    @property
    def numeric(self) -> bool:
        return self.type in NUMERIC


def read(table: Table) -> dict[str, Field]:
    if not table.data:
        raise table.fail("fields", "needs at least one field")
    fields = {}
    for name in table.data:
        spec = table.table(name)
        fields[name] = Field(
            name=name,
            type=spec.choice("type", TYPES),
            required=spec.get("required", bool, default=True) is True,
            min=spec.number("min"),
            max=spec.number("max"),
        )
    return fields
