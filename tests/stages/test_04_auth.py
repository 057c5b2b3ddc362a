"""What patches cannot show for stage 4: where the run's PostgreSQL comes from, and that
nothing of it is left behind.

The tests start real clusters from the machine's binaries. Without them the tests skip on
a laptop, but fail in CI (CI=true): a database test must never pass by not running.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from checks.harness.doors.storage import postgres
from checks.harness.doors.storage.postgres import Cluster
from tests.conftest import run_checker, snapshot

pytestmark = pytest.mark.slow
MIGRATIONS = "04-auth/migrations-upgrade"
PW = "mentors-own-password"
WORK = Path(os.environ.get("ROADMAP_WORK_DIR", "/var/lib/backend-roadmap/work"))


@pytest.fixture(scope="module")
def named_server() -> Iterator[Cluster]:
    """A server a mentor would name with --database-url (here: a cluster of the test's)."""
    if postgres.find_binaries() is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed: apt-get install -y postgresql")
        pytest.skip("PostgreSQL is not installed")
    folder = Path(tempfile.mkdtemp(prefix="pg-", dir="/var/tmp"))  # short; others may enter
    folder.chmod(0o755)
    cluster = Cluster.start(folder / "cluster")
    made = postgres._psql(cluster, f"CREATE ROLE mentor LOGIN CREATEDB CREATEROLE PASSWORD '{PW}'")
    assert made.returncode == 0, made.stderr
    yield cluster
    cluster.stop()
    shutil.rmtree(folder, ignore_errors=True)


def _databases(cluster: Cluster) -> list[str]:
    listed = postgres._psql(cluster, "SELECT datname FROM pg_database WHERE datname ~ '^roadmap_'")
    return listed.stdout.split()


def _clusters() -> list[str]:
    return sorted(p.name for p in WORK.glob("pg-*")) if WORK.is_dir() else []


def test_a_named_server_holds_the_runs_databases_until_the_run_ends(
    reference, named_server, tmp_path
):
    project = reference(4)
    before = snapshot(project)
    url = f"postgresql://mentor:{PW}@127.0.0.1:{named_server.port}/postgres"  # over TCP
    run = run_checker(project, tmp_path / "report", "--only", MIGRATIONS, "--database-url", url)
    assert run.statuses() == {MIGRATIONS: "pass"}, run.stdout + run.stderr
    assert _databases(named_server) == []  # made, used and dropped: none is left
    assert snapshot(project) == before


def test_an_unreachable_server_is_one_line_and_exit_2(reference, tmp_path):
    url = "postgresql://nobody:secret@127.0.0.1:9/nothing"
    run = run_checker(reference(4), tmp_path / "report", "--database-url", url)
    assert run.exit_code == 2, run.stdout
    (line,) = run.stderr.strip().splitlines()
    assert "stage 4 needs PostgreSQL: could not reach PostgreSQL at" in line
    assert "secret" not in line  # the password is masked
    assert _clusters() == []


def test_without_a_url_the_run_starts_a_server_of_its_own_and_removes_it(reference, tmp_path):
    if postgres.find_binaries() is None:
        pytest.skip("PostgreSQL is not installed")  # the named-server test fails in CI then
    run = run_checker(reference(4), tmp_path / "report", "--only", MIGRATIONS)
    assert run.statuses() == {MIGRATIONS: "pass"}, run.stdout + run.stderr
    assert _clusters() == []
