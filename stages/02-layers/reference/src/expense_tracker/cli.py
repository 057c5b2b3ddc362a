"""The command line: parse the arguments, call a service, print, pick an exit code.

A thin shell. What an expense is lives in models.py, the rules in services.py, and the
storage behind the unit of work that bootstrap.py builds; nothing here imports SQLAlchemy.
Errors raised on purpose (ExpenseTrackerError) are caught in one place, `main`, and become
one line on stderr and exit code 1; argparse reports usage errors itself and exits with 2.
"""

import argparse
import sys

from expense_tracker import __version__, bootstrap, output, services
from expense_tracker.errors import ExpenseTrackerError
from expense_tracker.services import UnitOfWork


def main(argv: list[str] | None = None) -> int:
    """Run one command and return its exit code: 0 for success, 1 for an error we expected."""
    args = build_parser().parse_args(argv)
    try:
        args.handler(args, bootstrap.unit_of_work())
    except ExpenseTrackerError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="expense-tracker",
        description="Record what you spend and see where the money goes, by category.",
        epilog="Data is kept in the database named by $DATABASE_URL, by default the SQLite "
        "file ~/.local/share/expense-tracker/expenses.db.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    add = commands.add_parser("add", help="record an expense")
    add.add_argument("--amount", required=True, help="how much, e.g. 12.50")
    add.add_argument("--category", required=True, help="one word, e.g. food")
    add.add_argument("--note", default="", help="anything worth remembering")
    add.set_defaults(handler=_add)

    list_ = commands.add_parser("list", help="show every expense")
    _add_json_flag(list_)
    list_.set_defaults(handler=_list)

    show = commands.add_parser("show", help="show one expense")
    show.add_argument("id", type=int, help="the expense's id, as `list` shows it")
    _add_json_flag(show)
    show.set_defaults(handler=_show)

    delete = commands.add_parser("delete", help="delete one expense")
    delete.add_argument("id", type=int, help="the expense's id, as `list` shows it")
    delete.set_defaults(handler=_delete)

    summary = commands.add_parser("summary", help="total spent per category")
    _add_json_flag(summary)
    summary.set_defaults(handler=_summary)
    return parser


def _add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def _add(args: argparse.Namespace, uow: UnitOfWork) -> None:
    expense = services.add_expense(uow, args.amount, args.category, args.note)
    print(f"Added expense {expense.id}: {expense.amount} {expense.category}")


def _list(args: argparse.Namespace, uow: UnitOfWork) -> None:
    expenses = services.list_expenses(uow)
    if args.json:
        print(output.to_json([expense.to_dict() for expense in expenses]))
    else:
        print(output.expense_table(expenses))


def _show(args: argparse.Namespace, uow: UnitOfWork) -> None:
    expense = services.get_expense(uow, args.id)
    if args.json:
        print(output.to_json(expense.to_dict()))
    else:
        print(output.expense_details(expense))


def _delete(args: argparse.Namespace, uow: UnitOfWork) -> None:
    expense = services.delete_expense(uow, args.id)
    print(f"Deleted expense {expense.id}.")


def _summary(args: argparse.Namespace, uow: UnitOfWork) -> None:
    totals = services.total_per_category(uow)
    if args.json:
        print(output.to_json(totals))
    else:
        print(output.summary_table(totals))


if __name__ == "__main__":
    raise SystemExit(main())
