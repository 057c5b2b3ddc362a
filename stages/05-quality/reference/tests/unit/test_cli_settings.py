"""The CLI without a usable database: one line on stderr naming what to fix, exit 1.

No database is needed for these: they are about what happens when there is none.
"""

from expense_tracker.cli import main


def test_in_production_without_database_url_the_cli_says_to_set_it(monkeypatch, capsys):
    monkeypatch.delenv("DATABASE_URL")
    monkeypatch.setenv("EXPENSE_TRACKER_USER", "ada")

    code = main(["list"])

    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("error: DATABASE_URL is not set")
    assert err.count("\n") == 1


def test_a_database_that_does_not_answer_is_one_line_of_error(capsys):
    # conftest points DATABASE_URL at a closed port.
    code = main(["list"])

    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("error: cannot use the database postgresql+psycopg://nobody@127.0.0.1:1/")
    assert err.count("\n") == 1
