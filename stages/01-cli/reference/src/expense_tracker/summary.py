"""Totals computed from a list of expenses: pure functions, no input or output."""

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from expense_tracker.models import Expense


def total_per_category(expenses: Iterable[Expense]) -> dict[str, Decimal]:
    """The sum of the amounts in each category, categories in alphabetical order."""
    totals: defaultdict[str, Decimal] = defaultdict(Decimal)
    for expense in expenses:
        totals[expense.category] += expense.amount
    return dict(sorted(totals.items()))
