import json
import os
import subprocess
import sys

from click.testing import CliRunner

from library.cli import cli

BOOK = ["Solaris", "--by", "Stanisław Lem", "--year", "1961", "--shelf", "sf"]


def test_a_book_added_is_listed_as_json(database_url):
    runner = CliRunner()
    runner.invoke(cli, ["add", *BOOK], catch_exceptions=False)
    listed = runner.invoke(cli, ["books", "--format", "json"], catch_exceptions=False)
    assert [b["title"] for b in json.loads(listed.output)] == ["Solaris"]


def test_an_unknown_book_is_one_line_and_exit_code_1(database_url):
    result = CliRunner().invoke(cli, ["book", "7"])
    assert result.exit_code == 1
    assert "no book has the id 7" in result.output


def test_the_installed_command_runs_with_nothing_but_its_settings(tmp_path):
    """As cron would start it: no HOME, no shell; only what the catalog needs."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "APP_NAME": "library",
        "SQLALCHEMY_DATABASE_URL": f"sqlite:///{tmp_path / 'cron.db'}",
    }
    command = [sys.executable, "-m", "library"]
    subprocess.run([*command, "add", *BOOK], env=env, check=True, capture_output=True)
    shown = subprocess.run(
        [*command, "stats", "--format", "json"], env=env, check=True, capture_output=True
    )
    assert json.loads(shown.stdout) == {"sf": 1}
