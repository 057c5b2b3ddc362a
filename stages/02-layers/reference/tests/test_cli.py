"""The command line, run in-process through `main(argv)` on a SQLite file in tmp_path."""

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from expense_tracker import __version__
from expense_tracker.cli import main


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database file that does not exist yet, named by DATABASE_URL as the real CLI reads it."""
    path = tmp_path / "expenses.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    return path


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> object:
        return json.loads(self.out)


@pytest.fixture
def cli(database: Path, capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """Run the command line in-process: `cli("list", "--json")` -> Result."""

    def invoke(*argv: str) -> Result:
        try:
            code = main(list(argv))
        except SystemExit as stop:  # argparse exits on --help and on usage errors
            code = int(stop.code or 0)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke


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
        {"id": 1, "amount": "12.50", "category": "food", "note": "lunch with Sam"}
    ]


def test_an_added_expense_is_a_row_in_the_database_file(cli, database):
    cli("add", "--amount", "3.20", "--category", "transport", "--note", "bus")

    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT id, amount, category, note FROM expenses").fetchall()
    assert rows == [(1, 3.2, "transport", "bus")]


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
    assert result.json() == {"id": 2, "amount": "2.00", "category": "rent", "note": ""}


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


def test_a_file_that_is_not_a_database_is_one_line_of_error_not_a_traceback(cli, database):
    database.write_text("not a database")

    result = cli("list")

    assert result.code == 1
    assert result.err.startswith(f"error: cannot use the database sqlite:///{database}")
    assert result.err.endswith(": file is not a database\n")
