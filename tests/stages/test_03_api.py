"""What patches cannot show for stage 3: servers that never listen, listen late or die.

Each test points the manifest's `app` at a small module with a name of its own, so the
test can look for leftover processes by that name once the checker has finished.
"""

import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from checks.harness.catalog import all_checks
from tests.conftest import processes_with, run_checker, snapshot
from tests.report.validate import assert_results_json

pytestmark = pytest.mark.slow
APP_LINE = re.compile(r'^app = "[^"]+"', re.M)


def _serve(project, body):
    """Add a module that serves (or fails to serve) the app; point the manifest at it."""
    name = f"serve_{uuid.uuid4().hex[:12]}"
    (project / "src" / "expense_tracker" / f"{name}.py").write_text(body)
    pyproject = project / "pyproject.toml"
    text = APP_LINE.sub(f'app = "expense_tracker.{name}:app"', pyproject.read_text())
    pyproject.write_text(text)
    return name


def test_a_server_that_never_listens_fails_at_the_deadline_and_is_gone(
    reference, copy_of, tmp_path
):
    project = copy_of(reference(3))
    name = _serve(project, "import time\n\nprint('starting', flush=True)\ntime.sleep(600)\n")
    before = snapshot(project)
    began = time.monotonic()
    run = run_checker(
        project, tmp_path / "report", "--only", "03-api/server-starts", "--timeout", "3"
    )
    assert time.monotonic() - began < 60
    assert run.statuses() == {"03-api/server-starts": "fail"}
    message = run.message("03-api/server-starts")
    assert "did not listen" in message and "within 3 s" in message
    assert "starting" in message, "the report shows what the server printed"
    assert processes_with(name) == []
    assert snapshot(project) == before


def test_a_server_that_listens_late_but_in_time_passes(reference, copy_of, tmp_path):
    project = copy_of(reference(3))
    _serve(project, "import time\n\ntime.sleep(2)\nfrom expense_tracker.api.main import app\n")
    run = run_checker(project, tmp_path / "report", "--only", "03-api/server-starts")
    assert run.statuses() == {"03-api/server-starts": "pass"}, run.stdout


def test_when_the_server_fails_to_start_the_other_api_checks_are_blocked(
    reference, copy_of, tmp_path
):
    project = copy_of(reference(3))
    _serve(project, "raise RuntimeError('no database configured')\n")
    only = ["--only", "03-api/server-starts", "--only", "03-api/create-returns-201"]
    run = run_checker(project, tmp_path / "report", *only)
    statuses = run.statuses()
    assert statuses["03-api/server-starts"] == "fail"
    assert "no database configured" in run.message("03-api/server-starts")
    assert statuses["03-api/create-returns-201"] == "blocked"
    blocked = run.message("03-api/create-returns-201")
    assert blocked == "not checked: blocked by 03-api/server-starts"
    assert "Next: fix 03-api/server-starts — the server exited" in run.stdout
    assert run.stderr == ""


DIES_ON_POST = """
import os

from expense_tracker.api.main import app as real_app


async def app(scope, receive, send):
    if scope["type"] == "http" and scope["method"] == "POST":
        print("exiting mid-request", flush=True)
        os._exit(3)
    await real_app(scope, receive, send)
"""


def test_a_server_that_dies_mid_run_fails_the_check_clearly_and_is_gone(
    reference, copy_of, tmp_path
):
    project = copy_of(reference(3))
    name = _serve(project, DIES_ON_POST)
    run = run_checker(project, tmp_path / "report", "--only", "03-api/create-returns-201")
    assert run.statuses() == {"03-api/create-returns-201": "fail"}
    message = run.message("03-api/create-returns-201")
    assert "got no answer" in message
    assert "exiting mid-request" in message
    assert processes_with(name) == []


def test_stopping_the_checker_stops_every_server_its_workers_started(reference, copy_of, tmp_path):
    project = copy_of(reference(3))
    name = _serve(project, "from expense_tracker.api.main import app\n")
    checker = subprocess.Popen(
        [sys.executable, "-m", "checks", str(project), "--report-dir", str(tmp_path / "r")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while not processes_with(name) and time.monotonic() < deadline:
            assert checker.poll() is None, "the checker ended before any server started"
            time.sleep(0.1)
        assert processes_with(name), "no server started within 120 s"
        checker.send_signal(signal.SIGTERM)
        assert checker.wait(timeout=30) == 128 + signal.SIGTERM
    finally:
        checker.kill()
    deadline = time.monotonic() + 10  # a worker may take a moment to act on its signal
    while processes_with(name) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert processes_with(name) == []


VARIANT = Path(__file__).parent / "variant_api"
NOT_THIS_PROJECT = {  # checks that need a CLI or real layers, which the variant does not have
    "03-api/cli-and-api-share-data",
    "03-api/routes-without-sqlalchemy",
    "03-api/services-without-fastapi",
}


def test_an_api_unlike_the_template_is_checked_through_its_manifest(tmp_path):
    """Another domain, a prefix of its own, uuid ids under another key, an app factory,
    page/size pagination, PUT and a plain JSON array: the API checks drive it unchanged."""
    project = tmp_path / "notes"
    shutil.copytree(VARIANT, project)
    api_checks = [c.id for c in all_checks() if c.stage.number == 3]
    only = [
        arg
        for check_id in api_checks
        if check_id not in NOT_THIS_PROJECT
        for arg in ("--only", check_id)
    ]
    run = run_checker(project, tmp_path / "report", "--stage", "3", *only)
    assert set(run.statuses().values()) == {"pass"}, run.stdout
    assert len(run.statuses()) == len(api_checks) - len(NOT_THIS_PROJECT)


TUTORIAL = Path(__file__).parent / "variant_tutorial"
CLI_CHECKS = {c.id for c in all_checks() if c.stage.number == 1} - {
    "01-cli/installs",
    "01-cli/own-tests-pass",
} | {
    "02-layers/cli-without-sqlalchemy",
    "02-layers/data-in-sqlite",
    "03-api/cli-and-api-share-data",
}


def test_an_api_only_project_in_the_tutorial_style_passes_with_its_cli_checks_not_applicable(
    tmp_path,
):
    """No CLI (cli = false), /bookmarks/ with its trailing slash, skip/limit capped at 100,
    a setuptools build: every check passes or says why it does not apply, at the top."""
    project = tmp_path / "bookmarks"
    shutil.copytree(TUTORIAL, project)
    for message in ("Start a bookmarks API", "Store bookmarks in SQLite", "Serve them over HTTP"):
        (project / "NOTES.md").write_text(message)
        subprocess.run(["git", "init", "-q"], cwd=project, check=True)
        subprocess.run(["git", "add", "-A"], cwd=project, check=True)
        subprocess.run(
            [
                "git",
                "-c",
                "user.name=L",
                "-c",
                "user.email=l@example.com",
                "commit",
                "-qm",
                message,
            ],
            cwd=project,
            check=True,
        )
    run = run_checker(project, tmp_path / "report")
    statuses = run.statuses()
    assert run.exit_code == 0, run.stdout
    assert {i for i, s in statuses.items() if s == "not-applicable"} == CLI_CHECKS, run.stdout
    assert {s for i, s in statuses.items() if i not in CLI_CHECKS} == {"pass"}, run.stdout
    assert run.stdout.index("Note: this project has no command line") < run.stdout.index("Stage 1")
    assert_results_json(run.results)  # the checks that do not apply are no v3 tests (ADR 14)
    assert run.results["status"] == "pass"
