"""The image's entrypoint, run as a container runs it: the migrations, then the command.

docker-entrypoint.sh is what every container of the image starts with (the Dockerfile's
ENTRYPOINT). No Docker is needed to test it: here it runs in this project's environment,
on an empty database of the test's own, as the container would run it with compose's
DATABASE_URL.
"""

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import inspect

from expense_tracker.db import make_engine

ENTRYPOINT = Path(__file__).parents[2] / "docker-entrypoint.sh"
COMMAND = ["python", "-c", "print('the command ran')"]


def run_entrypoint(database_url: str, *command: str) -> subprocess.CompletedProcess[str]:
    # The image puts its virtual environment first on PATH; so does this, for alembic.
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    return subprocess.run(
        ["sh", str(ENTRYPOINT), *command],
        env={**os.environ, "DATABASE_URL": database_url, "PATH": path},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_each_start_migrates_what_is_missing_then_runs_the_command(empty_database_url):
    first = run_entrypoint(empty_database_url, *COMMAND)

    assert first.returncode == 0, first.stderr
    assert "Running upgrade" in first.stderr
    assert first.stdout.splitlines()[-1] == "the command ran"
    engine = make_engine(empty_database_url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert tables == {"alembic_version", "users", "expenses", "jobs"}

    second = run_entrypoint(empty_database_url, *COMMAND)  # a restart: nothing left to do

    assert second.returncode == 0, second.stderr
    assert "Running upgrade" not in second.stderr
    assert second.stdout.splitlines()[-1] == "the command ran"


def test_when_the_migrations_fail_the_command_never_starts():
    unreachable = "postgresql+psycopg://nobody@127.0.0.1:1/none"

    result = run_entrypoint(unreachable, *COMMAND)

    assert result.returncode != 0
    assert "the command ran" not in result.stdout
