"""Stage 6 end to end: a deployable project passes, and each planted defect is caught.

Until reference 6 exists, the project is reference 4 made deployable by hand
(deploy_files.py). Defects that different checks catch share one project and one run,
so the whole file costs a few checker runs; the checks that boot the app share the
install through the venv cache.
"""

from __future__ import annotations

import shutil
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from checks.harness.catalog import all_checks
from tests.conftest import CheckerRun, require_postgres, run_checker
from tests.stages.deploy_files import change, git, make_deployable

pytestmark = pytest.mark.slow

STAGE_6 = [check.id for check in all_checks() if check.stage.slug == "06-deploy"]
STATIC = [
    check_id
    for check_id in STAGE_6
    if check_id
    not in {"06-deploy/emulated-boot", "06-deploy/image-builds", "06-deploy/readme-setup-runs"}
]


def d(slug: str) -> str:
    return f"06-deploy/{slug}"


@pytest.fixture
def deployable(reference: Callable[[int], Path], tmp_path: Path) -> Path:
    require_postgres()
    project = tmp_path / "expense-tracker"
    shutil.copytree(reference(4), project, symlinks=True)
    return make_deployable(project)


def check(project: Path, report: Path, ids: list[str], **env: str) -> CheckerRun:
    only = [arg for check_id in ids for arg in ("--only", check_id)]
    return run_checker(project, report, "--stage", "6", *only, env=env or None)


def test_a_deployable_project_passes_stage_6_and_without_an_engine_nothing_is_built(
    deployable, tmp_path
):
    run = check(deployable, tmp_path / "report", STAGE_6)
    statuses = run.statuses()
    expected = {check_id: "pass" for check_id in STAGE_6}
    expected[d("image-builds")] = "not-applicable"
    assert statuses == expected, run.stdout + run.stderr
    assert "no container engine on this machine" in run.message(d("image-builds"))
    assert run.exit_code == 0


def test_defects_in_the_dockerfile_compose_workflow_readme_and_history_are_each_caught(
    deployable, tmp_path
):
    project = deployable
    dockerfile = "Dockerfile"
    change(project, dockerfile, "FROM python:3.12-slim AS build", "FROM python:latest AS build")
    change(project, dockerfile, "FROM python:3.12-slim AS runtime", "FROM python:3.12 AS runtime")
    change(project, dockerfile, "USER 10001\n", "")
    change(project, dockerfile, "HEALTHCHECK --interval=30s --timeout=5s \\\n    CMD", "RUN")
    change(project, dockerfile, "    APP_ENV=production", "    APP_ENV=production \\\n    "
           "SECRET_KEY=f3b2c1d0e9a8b7c6d5e4f3a2b1c0d9e8")  # fmt: skip
    change(
        project,
        dockerfile,
        'CMD ["uvicorn", "expense_tracker.api.main:app", "--host", "0.0.0.0", "--port", "8000"]',
        "CMD uvicorn expense_tracker.api.main:app --host 127.0.0.1 --port 8000",
    )
    change(project, ".dockerignore", ".env\n", "")
    change(project, "compose.yaml", "POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it in .env}",
           "POSTGRES_PASSWORD: s3cret-Passw0rd")  # fmt: skip
    change(project, "compose.yaml", "        condition: service_healthy\n",
           "        condition: service_started\n")  # fmt: skip
    change(project, ".github/workflows/ci.yml", "      - run: uv run pytest\n", "")
    change(project, ".github/workflows/ci.yml", "@08c6903cd8c0fde910a37f88322edcfb5dd907a8", "@v5")
    change(project, "README.md", "## Trade-offs", "## Links")
    change(project, "docs/decisions/0103-secrets-in-the-environment.md", "## Consequences", "")
    change(project, "README.md", "## What comes next",
           "- [Backups](docs/decisions/0104-backups.md)\n\n## What comes next")  # fmt: skip
    # A .env committed, then deleted; a token added, then removed: both stay in the history.
    (project / ".env").write_text("SECRET_KEY=the-real-production-key\n")
    (project / "deploy.py").write_text('TOKEN = "ghp_16C7e42F292c6912E7710c838347Ae178B4a"\n')
    git(project, "add", "-f", ".env", "deploy.py")
    git(project, "commit", "-q", "-m", "Deploy settings")
    git(project, "rm", "-q", "--cached", ".env", "deploy.py")
    git(project, "commit", "-q", "-m", "Remove the settings")
    (project / ".env").unlink()
    (project / "deploy.py").unlink()

    run = check(project, tmp_path / "report", STATIC)
    statuses = run.statuses()
    caught = {
        "dockerfile-lint": ["DL3007", "DL3025"],  # `latest`, shell-form CMD
        "runs-as-a-user": ["never sets a USER"],
        "has-a-healthcheck": ["neither the image nor the app service"],
        "no-secret-in-image": ["SECRET_KEY"],
        "port-matches": ["binds 127.0.0.1"],
        "dockerignore-covers": [".env (your secrets)"],
        "compose-sound": ["POSTGRES_PASSWORD is written in the file", "service_started"],
        "workflow-runs-tests": ["no step runs the tests"],
        "workflow-hardened": ["unpinned-uses"],
        "readme-sections": ["trade-offs"],
        "readme-links-resolve": ["docs/decisions/0104-backups.md"],
        "multi-stage": ["python:3.12, a full image"],
        "adrs-linked": ["links 2 complete ADR(s)", "0103-secrets-in-the-environment.md"],
        "no-secrets-in-history": [".env file .env committed", "GitHub Token in deploy.py"],
    }
    for slug, words in caught.items():
        assert statuses[d(slug)] == "fail", (slug, run.stdout)
        message = run.message(d(slug))
        for word in words:
            assert word in message, (slug, word, message)
    still_fine = {"compose-valid", "workflow-valid", "no-secrets-in-tree"}
    assert {slug for slug in still_fine if statuses[d(slug)] != "pass"} == set(), run.stdout
    assert "the-real-production-key" not in run.stdout + str(run.results)  # never shown


def test_missing_or_invalid_files_fail_once_and_block_what_stands_on_them(deployable, tmp_path):
    project = deployable
    git(project, "rm", "-q", "Dockerfile", "README.md")
    change(project, "compose.yaml", "    image: postgres:16-alpine", "    imagee: postgres:16")
    change(project, ".github/workflows/ci.yml", "    runs-on: ubuntu-latest\n",
           "    runs-on: ubuntu-latest\n    needs: lint\n    timeout-minutes: soon\n")  # fmt: skip
    (project / "settings.py").write_text('AWS_KEY = "AKIAZ3QF7XW5JBMHNP4R"\n')
    git(project, "add", "settings.py")
    git(project, "commit", "-q", "-m", "Broken")

    run = check(project, tmp_path / "report", STATIC)
    statuses = run.statuses()
    assert statuses[d("dockerfile-lint")] == "fail"
    assert "there is no Dockerfile" in run.message(d("dockerfile-lint"))
    for slug in ("runs-as-a-user", "has-a-healthcheck", "port-matches", "no-secret-in-image"):
        assert statuses[d(slug)] == "blocked", (slug, run.stdout)
    assert statuses[d("compose-valid")] == "fail"
    assert "imagee" in run.message(d("compose-valid"))
    assert statuses[d("compose-sound")] == "blocked"
    assert statuses[d("workflow-valid")] == "fail"
    assert "timeout-minutes" in run.message(d("workflow-valid"))
    assert statuses[d("workflow-runs-tests")] == "blocked"
    assert statuses[d("readme-sections")] == "fail"
    assert {statuses[d(s)] for s in ("readme-links-resolve", "adrs-linked")} == {"blocked"}
    assert statuses[d("no-secrets-in-tree")] == "fail"
    assert "AWS Access Key in settings.py:1" in run.message(d("no-secrets-in-tree"))
    assert statuses[d("no-secrets-in-history")] == "blocked"  # the same key: one failure
    assert "AKIAZ3QF7XW5JBMHNP4R" not in run.stdout + str(run.results)


def test_an_image_that_never_migrates_is_caught_by_compose_and_by_the_boot(deployable, tmp_path):
    change(deployable, "docker-entrypoint.sh", "alembic upgrade head\n", "")
    change(deployable, "README.md", "cp .env.example .env", "cp .env.sample .env")  # no such file
    ids = [d("compose-sound"), d("emulated-boot"), d("readme-setup-runs")]
    run = check(deployable, tmp_path / "report", ids)
    assert set(run.statuses().values()) == {"fail"}, run.stdout
    setup = run.message(d("readme-setup-runs"))
    assert "cp .env.sample .env" in setup and "No such file" in setup, setup
    assert "no service runs `alembic upgrade head`" in run.message(d("compose-sound"))
    boot = run.message(d("emulated-boot"))
    assert "booted as its image would boot it, the server exited" in boot, boot
    assert "missing tables" in boot, boot  # the app's own words, from its output


def test_a_server_that_never_receives_sigterm_fails_the_boot(deployable, tmp_path):
    change(deployable, "docker-entrypoint.sh", 'exec "$@"', '"$@"')  # sh stays PID 1
    run = check(deployable, tmp_path / "report", [d("emulated-boot")])
    assert run.statuses() == {d("emulated-boot"): "fail"}, run.stdout
    message = run.message(d("emulated-boot"))
    assert "still running 10 s after SIGTERM" in message, message


FAKE_DOCKER = """#!/bin/sh
case "$1" in
  info) echo "Server Version: 27.0.0"; exit 0 ;;
  build) echo "#7 [build 4/6] COPY uv.lock ./"; echo "ERROR: failed to compute cache key: \\
\\"/uv.lock\\": not found" >&2; exit 1 ;;
esac
exit 0
"""


def test_where_an_engine_works_a_build_that_fails_fails_image_builds(deployable, tmp_path):
    fake = tmp_path / "bin"
    fake.mkdir()
    docker = fake / "docker"
    docker.write_text(FAKE_DOCKER)
    docker.chmod(docker.stat().st_mode | stat.S_IEXEC)
    path = f"{fake}:{__import__('os').environ['PATH']}"
    run = check(deployable, tmp_path / "report", [d("image-builds")], PATH=path)
    assert run.statuses() == {d("image-builds"): "fail"}, run.stdout + run.stderr
    message = run.message(d("image-builds"))
    assert "your image does not build" in message and "uv.lock" in message, message
