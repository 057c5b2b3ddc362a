"""The command line, run in-process through `main(argv)` on the real database (see
conftest.py), named by DATABASE_URL as the real CLI reads it."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from sqlalchemy import text

from expense_tracker import __version__, services
from expense_tracker.cli import main
from expense_tracker.db import connect, make_engine
from expense_tracker.unit_of_work import SqlAlchemyUnitOfWork

PASSWORD = "correct horse battery"


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> object:
        return json.loads(self.out)


@pytest.fixture
def run(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., Result]:
    """Run the command line in-process, on the test database, as nobody yet:
    `run("list", "--json")` -> Result."""
    monkeypatch.setenv("DATABASE_URL", database_url)

    def invoke(*argv: str) -> Result:
        try:
            code = main(list(argv))
        except SystemExit as stop:  # argparse exits on --help and on usage errors
            code = int(stop.code or 0)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke


def make_user(database_url: str, username: str, *, is_admin: bool = False) -> None:
    sessions = connect(database_url)
    services.register_user(SqlAlchemyUnitOfWork(sessions), username, PASSWORD, is_admin=is_admin)
    sessions.kw["bind"].dispose()


@pytest.fixture
def cli(run, database_url, monkeypatch) -> Callable[..., Result]:
    """The command line acting as "ada", an ordinary user: `cli("list", "--json")`."""
    make_user(database_url, "ada")
    monkeypatch.setenv("EXPENSE_TRACKER_USER", "ada")
    return run


def test_help_exits_zero_and_shows_usage(cli):
    result = cli("--help")

    assert result.code == 0
    assert "usage: expense-tracker" in result.out


def test_version_prints_the_package_version(cli):
    result = cli("--version")

    assert result.code == 0
    assert result.out.strip() == "expense-tracker " + __version__


def test_an_added_expense_is_listed_as_json_with_its_values(cli):
    cli("add", "--amount", "12.5", "--category", "food", "--note", "lunch with Sam")

    result = cli("list", "--json")

    assert result.code == 0
    assert result.json() == [
        {"id": 1, "amount": "12.50", "category": "food", "note": "lunch with Sam", "owner_id": 1}
    ]


def test_an_added_expense_is_a_row_in_the_database(cli, database_url):
    cli("add", "--amount", "3.20", "--category", "transport", "--note", "bus")

    engine = make_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT amount, category, note FROM expenses")).all()
    engine.dispose()
    assert [(Decimal(str(amount)), *rest) for amount, *rest in rows] == [
        (Decimal("3.20"), "transport", "bus")
    ]


def test_the_old_data_file_is_neither_read_nor_written(cli, tmp_path, monkeypatch):
    old = tmp_path / "expenses.json"
    monkeypatch.setenv("DATA_FILE", str(old))

    cli("add", "--amount", "1.00", "--category", "food")

    assert not old.exists()


def test_list_json_on_an_empty_database_prints_an_empty_array(cli):
    result = cli("list", "--json")

    assert result.code == 0
    assert result.json() == []


def test_list_prints_a_table_for_people(cli):
    cli("add", "--amount", "3.20", "--category", "transport")

    result = cli("list")

    assert "transport" in result.out
    assert "3.20" in result.out


def test_show_json_prints_the_expense_with_that_id(cli):
    cli("add", "--amount", "1.00", "--category", "food")
    cli("add", "--amount", "2.00", "--category", "rent")

    result = cli("show", "2", "--json")

    assert result.code == 0
    assert result.json() == {
        "id": 2,
        "amount": "2.00",
        "category": "rent",
        "note": "",
        "owner_id": 1,
    }


def test_show_with_an_unknown_id_exits_1_with_one_line_on_stderr(cli):
    result = cli("show", "99")

    assert result.code == 1
    assert result.err == "error: no expense with id 99; `list` shows the ids\n"


def test_delete_removes_only_that_expense(cli):
    for amount in ("1.00", "2.00", "3.00"):
        cli("add", "--amount", amount, "--category", "food")

    result = cli("delete", "2")

    assert result.code == 0
    assert [expense["id"] for expense in cli("list", "--json").json()] == [1, 3]


def test_delete_with_an_unknown_id_exits_1(cli):
    result = cli("delete", "7")

    assert result.code == 1
    assert result.err.startswith("error: no expense with id 7")


def test_an_amount_that_is_not_a_number_is_rejected_and_nothing_is_stored(cli):
    result = cli("add", "--amount", "twelve", "--category", "food")

    assert result.code == 1
    assert result.err == "error: amount 'twelve' is not a number; write it like 12.50\n"
    assert cli("list", "--json").json() == []


def test_a_missing_amount_is_a_usage_error(cli):
    result = cli("add", "--category", "food")

    assert result.code == 2
    assert "--amount" in result.err
    assert cli("list", "--json").json() == []


def test_summary_json_totals_the_amounts_per_category(cli):
    cli("add", "--amount", "0.10", "--category", "food")
    cli("add", "--amount", "0.20", "--category", "food")
    cli("add", "--amount", "5.00", "--category", "rent")

    result = cli("summary", "--json")

    assert result.code == 0
    assert result.json() == {"food": "0.30", "rent": "5.00"}


def test_a_file_that_is_not_a_database_is_one_line_of_error_not_a_traceback(
    cli, tmp_path, monkeypatch
):
    path = tmp_path / "not-a.db"
    path.write_text("not a database")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")

    result = cli("list")

    assert result.code == 1
    assert result.err.startswith(f"error: cannot use the database sqlite:///{path}")
    assert result.err.endswith(": file is not a database\n")


def test_a_database_without_tables_says_to_run_the_migrations(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'new.db'}")

    result = cli("list")

    assert result.code == 1
    assert "alembic upgrade head" in result.err
    assert result.err.count("\n") == 1


# Users: create-admin and $EXPENSE_TRACKER_USER


def test_create_admin_creates_an_admin_who_can_then_use_the_cli(run, monkeypatch):
    result = run("create-admin", "--username", "root", "--password", PASSWORD)

    assert (result.code, result.out) == (0, "Created admin 'root' with id 1.\n")
    monkeypatch.setenv("EXPENSE_TRACKER_USER", "root")
    assert run("add", "--amount", "1.00", "--category", "food").code == 0


def test_create_admin_with_a_taken_username_exits_1_with_one_line(run):
    run("create-admin", "--username", "root", "--password", PASSWORD)

    result = run("create-admin", "--username", "root", "--password", "another password")

    assert result.code == 1
    assert result.err == "error: the username 'root' is taken; choose another\n"


def test_create_admin_with_a_short_password_exits_1(run):
    result = run("create-admin", "--username", "root", "--password", "short")

    assert result.code == 1
    assert result.err == "error: password must be at least 8 characters\n"


def test_create_admin_asks_for_the_password_when_it_is_not_given(run, monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda prompt: PASSWORD)

    assert run("create-admin", "--username", "root").code == 0


@pytest.mark.parametrize("command", [["list"], ["add", "--amount", "1", "--category", "x"]])
def test_record_commands_need_expense_tracker_user(run, command):
    result = run(*command)

    assert result.code == 1
    assert result.err.startswith("error: EXPENSE_TRACKER_USER is not set")
    assert result.err.count("\n") == 1


def test_a_user_that_does_not_exist_is_refused_naming_the_variable(run, monkeypatch):
    monkeypatch.setenv("EXPENSE_TRACKER_USER", "nobody")

    result = run("list")

    assert result.code == 1
    assert result.err.startswith("error: EXPENSE_TRACKER_USER names no user")
    assert "'nobody'" in result.err


def test_a_user_sees_only_their_own_records_and_an_admin_sees_all(cli, database_url, monkeypatch):
    cli("add", "--amount", "1.00", "--category", "food")  # ada's
    make_user(database_url, "bob")
    monkeypatch.setenv("EXPENSE_TRACKER_USER", "bob")
    cli("add", "--amount", "2.00", "--category", "rent")

    assert [e["amount"] for e in cli("list", "--json").json()] == ["2.00"]
    assert cli("show", "1").code == 1  # ada's expense: not found, for bob
    assert cli("delete", "1").code == 1

    make_user(database_url, "root", is_admin=True)
    monkeypatch.setenv("EXPENSE_TRACKER_USER", "root")
    assert [e["amount"] for e in cli("list", "--json").json()] == ["1.00", "2.00"]
    assert cli("summary", "--json").json() == {"food": "1.00", "rent": "2.00"}
