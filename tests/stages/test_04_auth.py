"""What patches cannot show for stage 4: where the run's PostgreSQL comes from, and that
nothing of it is left behind.

The tests start real clusters from the machine's binaries. Without them the tests skip on
a laptop, but fail in CI (CI=true): a database test must never pass by not running.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from checks.harness.catalog import all_checks
from checks.harness.doors.storage import postgres, provisioning
from checks.harness.doors.storage.postgres import Cluster
from tests.conftest import require_postgres, run_checker, snapshot

pytestmark = pytest.mark.slow
MIGRATIONS = "04-auth/migrations-upgrade"
PW = "mentors-own-password"


@pytest.fixture(scope="module")
def named_server() -> Iterator[Cluster]:
    """A server a mentor would name with --database-url (here: a cluster of the test's)."""
    if postgres.find_binaries() is None:
        require_postgres()  # skips on a laptop, fails in CI
        pytest.skip("PostgreSQL's programs are not installed here; a server URL is not enough")
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


def test_without_a_url_the_run_starts_a_server_of_its_own_and_removes_it(
    reference, tmp_path, monkeypatch
):
    if postgres.find_binaries() is None:
        require_postgres()
        pytest.skip("this test is about the server the checker starts from the binaries")
    # A work folder of this test's own (other tests' runs start clusters of their own);
    # the reused venvs go beside it, and with it.
    base = Path(tempfile.mkdtemp(prefix="roadmap-test-", dir="/var/tmp"))
    work = base / "work"
    work.mkdir()
    for folder in (base, work):
        folder.chmod(0o755)
    monkeypatch.setenv("ROADMAP_WORK_DIR", str(work))
    # Where the cluster goes when the machine has tmpfs: a folder of this test's own there,
    # since other tests' runs keep clusters of their own in memory meanwhile.
    memory = Path(tempfile.mkdtemp(prefix="roadmap-test-", dir=provisioning.IN_MEMORY))
    memory.chmod(0o755)  # the cluster's user passes through it, as through /dev/shm
    monkeypatch.setenv("ROADMAP_MEMORY_DIR", str(memory))
    segments_before = set(provisioning.IN_MEMORY.glob("PostgreSQL.*"))
    try:
        run = run_checker(reference(4), tmp_path / "report", "--only", MIGRATIONS)
        assert run.statuses() == {MIGRATIONS: "pass"}, run.stdout + run.stderr
        assert sorted(p.name for p in work.iterdir()) == []  # no cluster, no workspace
        # nor its data folder or a shared memory segment in memory
        assert list(memory.iterdir()) == []
        assert set(provisioning.IN_MEMORY.glob("PostgreSQL.*")) <= segments_before
    finally:
        shutil.rmtree(base, ignore_errors=True)
        shutil.rmtree(memory, ignore_errors=True)


# A project unlike the reference: e-mail login, a JSON login body, another prefix -------

JSON_LOGIN = "class JsonLogin(BaseModel):\n    email: str\n    password: str\n"
PYDANTIC = "from pydantic import BaseModel"
VARIANT = {
    "src/expense_tracker/api/main.py": [('prefix="/v1"', 'prefix="/api/v2"')] * 3,
    "src/expense_tracker/api/deps.py": [("/v1/auth/token", "/api/v2/auth/token")],
    "src/expense_tracker/api/schemas.py": [
        ("    username: Username\n    password", "    email: Username\n    password")
    ],
    "src/expense_tracker/api/routes/users.py": [("body.username", "body.email")],
    "src/expense_tracker/api/routes/auth.py": [
        ("    form: Annotated[OAuth2PasswordRequestForm, Depends()],", "    form: JsonLogin,"),
        ("form.username", "form.email"),
        (
            "router = APIRouter(",
            JSON_LOGIN + "\n\nrouter = APIRouter(",
        ),
        (
            "from fastapi import APIRouter, Depends",
            "from fastapi import APIRouter, Depends\nfrom pydantic import BaseModel",
        ),
    ],
    # Its admins are made by e-mail too, and a bare name is refused, as it should be.
    "src/expense_tracker/cli.py": [
        ('"--username", required=True', '"--email", dest="username", required=True'),
        (
            "    password = args.password if",
            "    if '@' not in args.username:\n"
            "        raise ExpenseTrackerError(f'{args.username!r} is not an e-mail address')\n"
            "    password = args.password if",
        ),
    ],
    "pyproject.toml": [
        ('"create-admin", "--username"', '"create-admin", "--email"'),
        ('collection = "/v1/expenses"', 'collection = "/api/v2/expenses"'),
        ('register = "/v1/users"', 'register = "/api/v2/users"'),
        ('token = "/v1/auth/token"', 'token = "/api/v2/auth/token"'),
        ('token_body = "form"', 'token_body = "json"'),
        ('me = "/v1/users/me"', 'me = "/api/v2/users/me"'),
        ('admin_only = "/v1/users"', 'admin_only = "/api/v2/users"'),
        ('login_field = "username"', 'login_field = "email"'),
    ],
}


def test_a_project_with_email_login_a_json_login_and_another_prefix_passes(
    reference, copy_of, tmp_path
):
    require_postgres()
    project = copy_of(reference(4))
    for name, edits in VARIANT.items():
        path = project / name
        text = path.read_text()
        for old, new in edits:
            assert old in text, f"{name}: {old!r}"
            text = text.replace(old, new, 1)
        path.write_text(text)
    # Its own tests still speak the reference's routes: the checks of the API are the point.
    api_checks = [c.id for c in all_checks() if c.stage.number in (3, 4)]
    only = [arg for check_id in api_checks for arg in ("--only", check_id)]
    run = run_checker(project, tmp_path / "report", *only)
    assert run.failed() == set(), run.stdout + run.stderr


# Raising the stage before any migration: blocked at once by the real cause, never a wait --

AUTH_TABLES = ("[tool.roadmap.auth]", "[tool.roadmap.summary]")


def test_a_stage_3_project_raised_to_stage_4_is_blocked_by_its_migrations_at_once(
    reference, copy_of, tmp_path
):
    """The learner at the start of stage 4: the two tables written, no Alembic yet. The
    checks that stand on the schema are blocked by it at once (this once waited ten
    minutes on a seed that would never come, then reported a crash)."""
    require_postgres()
    project = copy_of(reference(3))
    stage_4 = reference(4).joinpath("pyproject.toml").read_text()
    tables = stage_4[stage_4.index(AUTH_TABLES[0]) : stage_4.index(AUTH_TABLES[1])]
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text().replace("stage = 3 ", "stage = 4 ")
    pyproject.write_text(text.replace(AUTH_TABLES[1], tables + AUTH_TABLES[1]))
    only = [MIGRATIONS, "01-cli/summary", "01-cli/help", "01-cli/own-tests-pass"]
    only += ["03-api/create-returns-201", "04-auth/register-answers-201"]
    began = time.monotonic()
    run = run_checker(project, tmp_path / "report", *[a for c in only for a in ("--only", c)])
    assert time.monotonic() - began < 60, "nothing waits on work that has already failed"
    statuses = run.statuses()
    assert statuses.pop(MIGRATIONS) == "fail", run.stdout
    assert set(statuses.values()) == {"blocked"}, run.stdout
    assert {t["blocked_by"] for t in run.results["tests"] if "blocked_by" in t} == {MIGRATIONS}
    assert f"Next: fix {MIGRATIONS}" in run.stdout
    assert "crashed" not in run.stdout and run.stderr == ""
