"""How results look: aligned text for people, JSON for scripts. Returns strings, prints none."""

import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from expense_tracker.models import Expense


def to_json(data: Any) -> str:
    """JSON text; Decimal totals become strings like "12.50", for the reason in models.py."""
    return json.dumps(data, indent=2, default=_decimal_as_text)


def expense_table(expenses: Sequence[Expense]) -> str:
    if not expenses:
        return "No expenses yet. Add one: expense-tracker add --amount 12.50 --category food"
    rows = [("ID", "AMOUNT", "CATEGORY", "NOTE")]
    rows += [(str(e.id), f"{e.amount:.2f}", e.category, e.note) for e in expenses]
    id_width = max(len(row[0]) for row in rows)
    amount_width = max(len(row[1]) for row in rows)
    category_width = max(len(row[2]) for row in rows)
    lines = [
        f"{i:>{id_width}}  {amount:>{amount_width}}  {category:<{category_width}}  {note}"
        for i, amount, category, note in rows
    ]
    return "\n".join(line.rstrip() for line in lines)


def expense_details(expense: Expense) -> str:
    lines = [f"{key + ':':<10}{value}" for key, value in expense.to_dict().items()]
    return "\n".join(line.rstrip() for line in lines)


def summary_table(totals: Mapping[str, Decimal]) -> str:
    if not totals:
        return "No expenses yet, so nothing to sum."
    width = max(len(category) for category in [*totals, "TOTAL"])
    lines = [f"{category:<{width}}  {total:>10.2f}" for category, total in totals.items()]
    lines.append(f"{'TOTAL':<{width}}  {sum(totals.values(), Decimal()):>10.2f}")
    return "\n".join(lines)


def _decimal_as_text(value: object) -> str:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
