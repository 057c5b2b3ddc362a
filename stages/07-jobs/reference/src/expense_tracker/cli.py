"""The command line: parse the arguments, call a service, print, pick an exit code.

A thin shell. What an expense is lives in models.py, the rules in services.py, and the
storage behind the unit of work that bootstrap.py builds; nothing here imports SQLAlchemy.
Errors raised on purpose (ExpenseTrackerError) are caught in one place, `main`, and become
one line on stderr and exit code 1; argparse reports usage errors itself and exits with 2.

The CLI is the operator's door to the same system the web API serves (ADR 0012). It logs
nobody in: whoever can run it on this machine, with this DATABASE_URL, can already read
the database. The record commands act as the user that $EXPENSE_TRACKER_USER names, under
the same rules as the API (an admin sees every record); `create-admin` makes the first
admin, which the API cannot do. `worker` runs the background jobs the API queues, until it
is stopped (jobs/worker.py).
"""

import argparse
import getpass
import sys

from expense_tracker import __version__, bootstrap, output, services
from expense_tracker.core.config import get_settings
from expense_tracker.core.logs import configure_logging
from expense_tracker.errors import ExpenseTrackerError
from expense_tracker.jobs import worker
from expense_tracker.models import User
from expense_tracker.services import UnitOfWork

USER_ENV = "EXPENSE_TRACKER_USER"


def main(argv: list[str] | None = None) -> int:
    """Run one command and return its exit code: 0 for success, 1 for an error we expected."""
    args = build_parser().parse_args(argv)
    try:
        uow = bootstrap.unit_of_work()
        if args.acts_as_user:
            args.handler(args, uow, acting_user(uow))
        else:
            args.handler(args, uow)
    except ExpenseTrackerError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


def acting_user(uow: UnitOfWork) -> User:
    """The user the record commands act as: the one $EXPENSE_TRACKER_USER names."""
    username = get_settings().expense_tracker_user
    if username is None:
        raise ExpenseTrackerError(
            f"{USER_ENV} is not set: set it to the username to act as, e.g. "
            f"`export {USER_ENV}=admin` (create an admin with `expense-tracker create-admin`)"
        )
    user = services.find_user_by_name(uow, username)
    if user is None:
        raise ExpenseTrackerError(
            f"{USER_ENV} names no user: there is no user {username!r}; create one with "
            "`expense-tracker create-admin`, or register over the web API"
        )
    return user


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="expense-tracker",
        description="Record what you spend and see where the money goes, by category.",
        epilog=f"Data is kept in the database named by $DATABASE_URL (with APP_ENV=development, "
        "by default the SQLite file ~/.local/share/expense-tracker/expenses.db); create its "
        f"tables with `alembic upgrade head`. The record commands act as the user ${USER_ENV} "
        "names. A .env file in the current folder is read too (see .env.example).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    add = commands.add_parser("add", help="record an expense")
    add.add_argument("--amount", required=True, help="how much, e.g. 12.50")
    add.add_argument("--category", required=True, help="one word, e.g. food")
    add.add_argument("--note", default="", help="anything worth remembering")
    add.set_defaults(handler=_add, acts_as_user=True)

    list_ = commands.add_parser("list", help="show every expense")
    _add_json_flag(list_)
    list_.set_defaults(handler=_list, acts_as_user=True)

    show = commands.add_parser("show", help="show one expense")
    show.add_argument("id", type=int, help="the expense's id, as `list` shows it")
    _add_json_flag(show)
    show.set_defaults(handler=_show, acts_as_user=True)

    delete = commands.add_parser("delete", help="delete one expense")
    delete.add_argument("id", type=int, help="the expense's id, as `list` shows it")
    delete.set_defaults(handler=_delete, acts_as_user=True)

    summary = commands.add_parser("summary", help="total spent per category")
    _add_json_flag(summary)
    summary.set_defaults(handler=_summary, acts_as_user=True)

    create_admin = commands.add_parser("create-admin", help="create a user who is an admin")
    create_admin.add_argument("--username", required=True, help="3 to 64 letters or digits")
    create_admin.add_argument(
        "--password",
        help="8 to 128 characters; leave it out to be asked for it, since a password typed "
        "on the command line stays in your shell's history",
    )
    create_admin.set_defaults(handler=_create_admin, acts_as_user=False)

    work = commands.add_parser(
        "worker",
        help="run the background jobs (imports) until stopped",
        description="Take queued jobs from the database and run them, one at a time, logging "
        "JSON lines. SIGTERM or Ctrl+C finishes the current job, then exits. Run as many as "
        "you like: each job goes to one of them.",
    )
    work.set_defaults(handler=_worker, acts_as_user=False)
    return parser


def _add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def _add(args: argparse.Namespace, uow: UnitOfWork, user: User) -> None:
    expense = services.add_expense(uow, user, args.amount, args.category, args.note)
    print(f"Added expense {expense.id}: {expense.amount} {expense.category}")


def _list(args: argparse.Namespace, uow: UnitOfWork, user: User) -> None:
    expenses = services.list_expenses(uow, user)
    if args.json:
        print(output.to_json([expense.to_dict() for expense in expenses]))
    else:
        print(output.expense_table(expenses))


def _show(args: argparse.Namespace, uow: UnitOfWork, user: User) -> None:
    expense = services.get_expense(uow, user, args.id)
    if args.json:
        print(output.to_json(expense.to_dict()))
    else:
        print(output.expense_details(expense))


def _delete(args: argparse.Namespace, uow: UnitOfWork, user: User) -> None:
    expense = services.delete_expense(uow, user, args.id)
    print(f"Deleted expense {expense.id}.")


def _summary(args: argparse.Namespace, uow: UnitOfWork, user: User) -> None:
    totals = services.total_per_category(uow, user)
    if args.json:
        print(output.to_json(totals))
    else:
        print(output.summary_table(totals))


def _create_admin(args: argparse.Namespace, uow: UnitOfWork) -> None:
    password = args.password if args.password is not None else _ask_password()
    admin = services.register_user(uow, args.username, password, is_admin=True)
    print(f"Created admin {admin.username!r} with id {admin.id}.")


def _worker(args: argparse.Namespace, uow: UnitOfWork) -> None:
    settings = get_settings()
    configure_logging(settings.log_level)
    worker.run(settings.require_database_url())


def _ask_password() -> str:
    """Read a password without showing it, twice, to catch a typo nobody could see."""
    password = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != password:
        raise ExpenseTrackerError("the two passwords differ; nothing was created")
    return password


if __name__ == "__main__":
    raise SystemExit(main())
