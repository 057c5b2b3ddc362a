"""Stage 4's PostgreSQL: a throw-away cluster, fresh databases on it or on a named server.

The tests start real clusters from the machine's binaries. Without them the tests skip
on a laptop, but fail in CI (CI=true): a database test must never pass by not running.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from checks.harness import process
from checks.harness.doors.storage import postgres, postgres_binaries, postgres_cluster
from checks.harness.doors.storage.postgres import (
    URL_ENV,
    Cluster,
    ExistingServer,
    PostgresUnavailable,
    drop_database,
    fresh_database,
)
from checks.harness.doors.storage.postgres_run import RunDatabases

ROOT = Path(__file__).resolve().parents[2]
INSTALL = "apt-get install -y --no-install-recommends postgresql"

# A checker that starts a cluster, tells the test its postmaster, and waits to be killed;
# with "watchdog", wired the way the checker must be (the folder, then the postmaster).
CHECKER = r"""
import sys
from pathlib import Path
from checks.harness import watchdog
from checks.harness.doors.storage.postgres_cluster import Cluster
folder, groups = Path(sys.argv[1]), Path(sys.argv[2])
if sys.argv[3] == "watchdog":
    guard = watchdog.start([folder], None, groups)
cluster = Cluster.start(folder)
with groups.open("a") as log:
    log.write(f"{cluster.pid}\n")
print(cluster.pid, flush=True)
sys.stdin.read()
"""


@pytest.fixture(scope="module")
def binaries() -> Path:
    found = postgres.find_binaries()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is missing, so stage 4's database was not tested: {INSTALL}")
        pytest.skip(f"PostgreSQL is not installed ({INSTALL})")
    return found


def new_base() -> Path:
    """A short path (the socket's limit) that the cluster's user may enter: pytest's own
    temporary folders are closed to other users when the tests run as root."""
    base = Path(tempfile.mkdtemp(prefix="roadmap-pg-", dir="/var/tmp"))
    base.chmod(0o755)
    return base


@pytest.fixture
def base() -> Iterator[Path]:
    folder = new_base()
    yield folder
    for child in folder.iterdir():
        postgres_cluster.stop_folder(child)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster(binaries: Path) -> Iterator[Cluster]:
    folder = new_base()
    started = Cluster.start(folder / "cluster")
    yield started
    started.stop()
    shutil.rmtree(folder, ignore_errors=True)


def psql(cluster: Cluster, url: str, sql: str) -> subprocess.CompletedProcess[str]:
    """Connect the way a learner's program would, with the URL it gets (libpq spelling)."""
    libpq = url.replace("postgresql+psycopg://", "postgresql://", 1)
    env = {"PATH": os.environ["PATH"], "PGCONNECT_TIMEOUT": "5"}
    return subprocess.run(
        [str(cluster.psql), "-XAtq", "-v", "ON_ERROR_STOP=1", "-d", libpq, "-c", sql],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
        check=False,
    )


def processes_in(folder: Path) -> list[int]:
    """Live processes working in `folder`: a postmaster and its children work in the data
    folder (zombies have no working folder)."""
    found = []
    for cwd in process.proc_files("cwd"):
        try:
            target = os.readlink(cwd)
        except OSError:
            continue
        if target.startswith(f"{folder}/") or target == str(folder):
            found.append(int(cwd.parent.name))
    return found


def until(condition: Callable[[], bool], seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_cluster_answers_and_leaves_no_process_or_folder_once_stopped(binaries, base):
    cluster = Cluster.start(base / "cluster")
    assert processes_in(cluster.folder), "the postmaster is not running in its data folder"
    answered = postgres._psql(cluster, "SELECT current_setting('fsync')")
    assert (answered.returncode, answered.stdout.strip()) == (0, "off"), answered.stderr
    if os.geteuid() == 0:
        assert cluster.data.stat().st_uid == postgres_cluster.POSTGRES_UID
    cluster.stop()
    assert until(lambda: not processes_in(cluster.folder), 5)
    assert not cluster.folder.exists()
    cluster.stop()  # twice is harmless


def test_a_fresh_database_is_reachable_with_its_own_login_and_gone_once_dropped(cluster):
    url = fresh_database(cluster, "roadmap_fresh")
    assert url.startswith("postgresql+psycopg://roadmap_fresh:") and url.endswith(
        f"@127.0.0.1:{cluster.port}/roadmap_fresh"
    )
    made = psql(cluster, url, "CREATE TABLE t (x int); SELECT current_user, current_database()")
    assert made.stdout.strip() == "roadmap_fresh|roadmap_fresh", made.stderr
    drop_database(cluster, "roadmap_fresh")
    gone = psql(cluster, url, "SELECT 1")
    assert gone.returncode != 0
    drop_database(cluster, "roadmap_fresh")  # twice is harmless


def test_the_learner_login_cannot_run_programs_or_reach_another_database(cluster):
    first = fresh_database(cluster, "roadmap_first")
    second = fresh_database(cluster, "roadmap_second")
    try:
        program = psql(cluster, first, "COPY (SELECT 1) TO PROGRAM 'true'")
        assert program.returncode != 0 and "must be superuser" in program.stderr
        other = psql(cluster, first.rsplit("/", 1)[0] + "/roadmap_second", "SELECT 1")
        assert other.returncode != 0 and "permission denied" in other.stderr
        assert psql(cluster, second, "SELECT 1").stdout.strip() == "1"
    finally:
        drop_database(cluster, "roadmap_first")
        drop_database(cluster, "roadmap_second")


def test_a_second_start_copies_the_cached_template_instead_of_running_initdb(
    binaries, base, monkeypatch
):
    monkeypatch.setenv("ROADMAP_POSTGRES_CACHE", str(base / "cache"))
    (base / "cache").mkdir(mode=0o755)
    ran: list[str] = []
    real_run = postgres_binaries.run_tool

    def spy(argv, *args, **kwargs):
        ran.append(Path(argv[0]).name)
        return real_run(argv, *args, **kwargs)

    monkeypatch.setattr(postgres_binaries, "run_tool", spy)
    seconds = []
    for name in ("cold", "warm"):
        started = time.perf_counter()
        cluster = Cluster.start(base / name)
        seconds.append(time.perf_counter() - started)
        cluster.stop()
    assert ran.count("initdb") == 1
    kept = [path.name for path in (base / "cache").iterdir()]
    assert len(kept) == 1 and re.fullmatch(r"pg-template-\d+", kept[0]), kept
    assert seconds[1] < seconds[0], f"the warm start was not faster: {seconds}"


def test_a_cluster_left_by_a_killed_checker_is_stopped_from_its_folder_by_another_process(
    binaries, base
):
    folder = base / "cluster"
    checker = start_checker(folder, base / "groups", "alone")
    pid = int(checker.stdout.readline())
    checker.kill()
    checker.communicate()
    assert processes_in(folder), "the postmaster should have outlived the checker"
    code = "import sys, pathlib; from checks.harness.doors.storage import postgres_cluster as c;"
    code += "c.stop_folder(pathlib.Path(sys.argv[1]))"
    subprocess.run([sys.executable, "-c", code, str(folder)], cwd=ROOT, check=True, timeout=30)
    assert until(lambda: not processes_in(folder), 5), f"postmaster {pid} is still running"
    assert not folder.exists()


def test_the_watchdog_of_a_killed_checker_stops_the_cluster_it_was_told_about(binaries, base):
    folder = base / "cluster"
    checker = start_checker(folder, base / "groups", "watchdog")
    pid = int(checker.stdout.readline())
    os.kill(checker.pid, signal.SIGKILL)
    checker.communicate()
    assert until(lambda: not processes_in(folder) and not folder.exists()), (
        f"postmaster {pid} or {folder} outlived the killed checker"
    )


def start_checker(folder: Path, groups: Path, mode: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CHECKER, str(folder), str(groups), mode],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def test_without_postgresql_binaries_stage_4_says_in_one_line_how_to_get_them(base, monkeypatch):
    monkeypatch.setenv("PATH", str(base))
    monkeypatch.setattr(postgres_binaries, "SEARCH_ROOT", base / "nothing")
    monkeypatch.delenv(URL_ENV, raising=False)
    assert postgres.find_binaries() is None
    with pytest.raises(PostgresUnavailable) as raised:
        postgres.provide(None, base / "cluster")
    message = str(raised.value)
    assert "\n" not in message
    assert "sudo apt-get install postgresql" in message and "brew install" in message
    assert message.endswith("--database-url postgresql://USER:PASS@HOST:PORT/DB")
    assert not (base / "cluster").exists()


def test_the_binaries_on_path_win_else_the_newest_major_version_is_used(base, monkeypatch):
    def fake(folder: Path) -> Path:
        folder.mkdir(parents=True)
        for tool in ("initdb", "pg_ctl", "postgres"):
            (folder / tool).write_text("#!/bin/sh\n")
            (folder / tool).chmod(0o755)
        return folder

    for version in ("9.6", "16", "15"):
        fake(base / "lib" / version / "bin")
    monkeypatch.setattr(postgres_binaries, "SEARCH_ROOT", base / "lib")
    monkeypatch.setenv("PATH", str(base / "empty"))
    assert postgres.find_binaries() == base / "lib" / "16" / "bin"
    monkeypatch.setenv("PATH", str(fake(base / "brew" / "bin")))
    assert postgres.find_binaries() == base / "brew" / "bin"


def test_an_unreachable_url_is_one_line_that_names_it_without_its_password(binaries):
    with pytest.raises(PostgresUnavailable) as raised:
        ExistingServer.connect("postgresql://someone:s3cret@127.0.0.1:1/db")
    message = str(raised.value)
    assert "\n" not in message and "s3cret" not in message
    assert "could not reach PostgreSQL at postgresql://someone:***@127.0.0.1:1/db" in message
    assert message.endswith("pass another --database-url postgresql://USER:PASS@HOST:PORT/DB")


def test_a_url_that_is_not_postgresql_is_one_line():
    with pytest.raises(PostgresUnavailable, match=r"^mysql://a:\*\*\*@h/d is not a PostgreSQL URL"):
        ExistingServer.connect("mysql://a:b@h/d")


def test_a_named_server_gets_fresh_databases_and_no_cluster_is_started(cluster, base, monkeypatch):
    setup = "CREATE ROLE roadmap_admin LOGIN CREATEDB CREATEROLE PASSWORD 'pw'"
    assert postgres._psql(cluster, setup).returncode == 0
    try:
        monkeypatch.setenv(
            URL_ENV, f"postgresql://roadmap_admin:pw@127.0.0.1:{cluster.port}/postgres"
        )
        server = postgres.provide(None, base / "cluster")
        assert isinstance(server, ExistingServer) and server.creates_roles
        assert not (base / "cluster").exists()
        url = fresh_database(server, "roadmap_named")
        assert url.startswith("postgresql+psycopg://roadmap_named:")
        assert psql(cluster, url, "SELECT current_user").stdout.strip() == "roadmap_named"
        drop_database(server, "roadmap_named")
        assert psql(cluster, url, "SELECT 1").returncode != 0
        server.close()
    finally:
        postgres._psql(cluster, "DROP DATABASE IF EXISTS roadmap_named", "DROP ROLE roadmap_admin")


def test_a_named_user_who_may_not_create_roles_gets_databases_under_its_own_login(cluster):
    assert (
        postgres._psql(cluster, "CREATE ROLE roadmap_dev LOGIN CREATEDB PASSWORD 'pw'").returncode
        == 0
    )
    given = f"postgresql+psycopg://roadmap_dev:pw@127.0.0.1:{cluster.port}/postgres"
    try:
        url = fresh_database(given, "roadmap_devdb")
        assert url == f"postgresql+psycopg://roadmap_dev:pw@127.0.0.1:{cluster.port}/roadmap_devdb"
        assert psql(cluster, url, "SELECT current_database()").stdout.strip() == "roadmap_devdb"
        drop_database(given, "roadmap_devdb")
    finally:
        postgres._psql(cluster, "DROP DATABASE IF EXISTS roadmap_devdb", "DROP ROLE roadmap_dev")


def test_a_named_user_who_may_not_create_databases_is_told_in_one_line(cluster):
    assert postgres._psql(cluster, "CREATE ROLE roadmap_reader LOGIN PASSWORD 'pw'").returncode == 0
    try:
        with pytest.raises(PostgresUnavailable) as raised:
            ExistingServer.connect(
                f"postgresql://roadmap_reader:pw@127.0.0.1:{cluster.port}/postgres"
            )
        message = str(raised.value)
        assert "\n" not in message and "ALTER ROLE roadmap_reader CREATEDB" in message
    finally:
        postgres._psql(cluster, "DROP ROLE roadmap_reader")


# One run's databases ---------------------------------------------------------------------


def test_a_copy_of_the_migrated_template_is_the_runs_and_every_database_goes_at_the_end(cluster):
    run = RunDatabases.from_json(RunDatabases.open(cluster, "t1a2b3").to_json())
    template = run.create("template")
    made = psql(
        cluster, template, "CREATE TABLE users (name text); INSERT INTO users VALUES ('op')"
    )
    assert made.returncode == 0, made.stderr
    copy = run.create("check_1", template="template")
    copied = psql(cluster, copy, "INSERT INTO users VALUES ('b'); SELECT count(*) FROM users")
    assert copied.stdout.strip() == "2", copied.stderr  # the run's login owns the copied table
    assert psql(cluster, template, "SELECT count(*) FROM users").stdout.strip() == "1"
    run.drop_all()
    left = postgres._psql(
        cluster, "SELECT datname FROM pg_database WHERE datname LIKE 'roadmap_t1a2b3%'"
    )
    roles = postgres._psql(
        cluster, "SELECT rolname FROM pg_roles WHERE rolname LIKE 'roadmap_t1a2b3%'"
    )
    assert (left.stdout.strip(), roles.stdout.strip()) == ("", "")
    run.drop_all()  # twice is harmless


def test_a_run_login_cannot_reach_another_runs_databases(cluster):
    mine, theirs = RunDatabases.open(cluster, "mine01"), RunDatabases.open(cluster, "their1")
    try:
        theirs_url = theirs.create("data")
        stolen = mine.url.format(database=theirs_url.rsplit("/", 1)[1])
        refused = psql(cluster, stolen, "SELECT 1")
        assert refused.returncode != 0 and "permission denied" in refused.stderr
    finally:
        mine.drop_all()
        theirs.drop_all()
