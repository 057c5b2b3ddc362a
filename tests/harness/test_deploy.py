"""The deploy door reads Dockerfiles, compose files, workflows and READMEs as their tools do.

Fast: plain parsing, no checker run (tests/stages/test_06_deploy.py runs the checks).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checks.harness import manifest as manifest_module
from checks.harness.doors.deploy import (
    boot,
    compose,
    dockerfile,
    dockerignore,
    literals,
    markdown,
    secrets,
    serving,
    setup,
    yamlfile,
)
from checks.harness.doors.deploy.files import Deployment
from checks.harness.manifest import ManifestError
from checks.harness.workspace import Workspace
from tests.harness.test_manifest import GOOD
from tests.stages.deploy_files import COMPOSE, DOCKERFILE, ENV_EXAMPLE

# Dockerfile ---------------------------------------------------------------------------


def test_the_final_stage_joins_entrypoint_and_cmd_and_inherits_from_the_stage_it_is_built_on():
    parsed = dockerfile.parse(
        "ARG PY=3.12\n"
        "FROM python:${PY}-slim AS base\n"
        "ENV APP_HOME=/srv \\\n"
        "    # a comment inside a continued line is not part of it\n"
        "    MODE=prod\n"
        "WORKDIR $APP_HOME\n"
        "USER app\n"
        "FROM base AS runtime\n"
        "WORKDIR api\n"
        "RUN <<EOF\nCMD this is a heredoc's body, not an instruction\nEOF\n"
        'ENTRYPOINT ["/srv/api/start.sh"]\n'
        'CMD ["uvicorn", "app:app"]\n'
    )
    final = parsed.final()
    assert (final.base, final.name, final.user) == ("base", "runtime", "app")
    assert parsed.stages[0].base == "python:3.12-slim"
    assert final.workdir == "/srv/api" and final.env["MODE"] == "prod"
    assert final.command() == ("/srv/api/start.sh", "uvicorn", "app:app")


def test_a_shell_form_cmd_runs_in_the_stages_shell_and_an_entrypoint_drops_an_inherited_cmd():
    shell = dockerfile.parse('FROM x:1\nSHELL ["/bin/bash", "-c"]\nCMD uvicorn app:app\n')
    assert shell.final().command() == ("/bin/bash", "-c", "uvicorn app:app")
    assert shell.final().cmd is not None and not shell.final().cmd.exec_form
    inherited = dockerfile.parse('FROM x:1 AS a\nCMD ["a"]\nFROM a\nENTRYPOINT ["b"]\n')
    assert inherited.final().command() == ("b",)


@pytest.mark.parametrize(
    ("user", "root"),
    [(None, True), ("root", True), ("0:0", True), ("10001", False), ("app:app", False)],
)
def test_root_is_no_user_root_or_uid_0(user, root):
    assert dockerfile.is_root(user) is root


def test_a_file_without_from_is_not_a_dockerfile():
    with pytest.raises(dockerfile.DockerfileError, match="RUN before the first FROM"):
        dockerfile.parse("RUN echo hi\n")


# .dockerignore ------------------------------------------------------------------------


def test_dockerignore_patterns_match_from_the_root_and_double_stars_match_anywhere(tmp_path):
    ignore = tmp_path / ".dockerignore"
    ignore.write_text("__pycache__\n**/*.db\n.env*\n!.env.example\n")
    patterns = dockerignore.read(ignore)
    assert dockerignore.excluded(patterns, "__pycache__/a.pyc")
    assert not dockerignore.excluded(patterns, "src/app/__pycache__/a.pyc")  # needs **/
    assert dockerignore.excluded(patterns, "deep/down/data.db")
    assert dockerignore.excluded(patterns, ".env")
    assert not dockerignore.excluded(patterns, ".env.example")  # let back in by !


# compose ------------------------------------------------------------------------------


def test_compose_interpolation_takes_defaults_and_reports_required_variables_left_unset():
    missing: list[str] = []
    text = "${A:-a} ${B-b} ${C:?set C} $$HOME ${D:+x}${E:-${F}}"
    assert compose.interpolate(text, {"B": "", "D": "1", "F": "f"}, missing) == "a   $HOME xf"
    assert missing == ["C: set C"]


def test_compose_reads_services_ports_depends_on_and_what_is_written_literally():
    read = compose.Compose.read(
        "compose.yaml", yamlfile.load_text(COMPOSE, "compose.yaml"), {"POSTGRES_PASSWORD": "pw"}
    )
    app, db = read.services["app"], read.services["db"]
    assert app.ports() == [compose.Port(8000, "8000", "127.0.0.1")]
    assert app.depends_on() == {"db": "service_healthy"}
    assert app.environment()["DATABASE_URL"] == "postgresql+psycopg://expenses:pw@db:5432/expenses"
    assert db.environment(written=True)["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD")
    assert "pg_isready" in db.healthcheck() and read.named_volumes() == {"pgdata"}


def test_yaml_reads_on_as_a_key_as_github_does_not_as_a_boolean():
    assert yamlfile.load_text("on:\n  push:\nenabled: yes\n", "ci.yml") == {
        "on": {"push": None},
        "enabled": "yes",
    }
    with pytest.raises(yamlfile.YamlError, match="line 2"):
        yamlfile.load_text("a: [1\nb: 2\n", "x.yml")


# serving ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "host", "port"),
    [
        ("uvicorn app:app", "127.0.0.1", 8000),  # uvicorn's defaults: loopback
        ("python -m uvicorn app:app --host=0.0.0.0 --port ${PORT:-9000}", "0.0.0.0", 9000),
        ("gunicorn -k uvicorn.workers.UvicornWorker -b 0.0.0.0:8080 app:app", "0.0.0.0", 8080),
        ("fastapi run app/main.py", "0.0.0.0", 8000),
        ("/app/.venv/bin/uvicorn app:app --host 0.0.0.0 --port 80", "0.0.0.0", 80),
    ],
)
def test_the_address_a_server_binds_is_read_with_each_servers_defaults(command, host, port):
    found = serving.binding(command.split(), {})
    assert found is not None and (found.host, found.port) == (host, port)


def test_a_server_started_from_a_script_line_is_found():
    script = "#!/bin/sh\nset -e\nalembic upgrade head\nexec uvicorn app:app \\\n  --port 8001\n"
    found = serving.in_script(script, {})
    assert found is not None and found.port == 8001 and found.loopback_only


# literals and secrets -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "secret"),
    [
        ("SECRET_KEY", "f3b2c1d0e9a8", True),
        ("SECRET_KEY", "change-me", False),  # a placeholder
        ("POSTGRES_PASSWORD", "${POSTGRES_PASSWORD:?}", False),  # from a variable
        ("ACCESS_TOKEN_EXPIRE_MINUTES", "30", False),  # about a token, not one
        ("DATABASE_URL", "postgresql://app:hunter2@db/app", True),
        ("DATABASE_URL", "postgresql://app:${PW}@db/app", False),
    ],
)
def test_a_secret_written_in_a_file_is_a_secret_name_with_a_real_value(name, value, secret):
    assert literals.holds_secret(name, value) is secret


def test_history_lines_are_read_per_commit_and_a_local_database_password_is_no_leak():
    log = (
        f"commit {'a' * 40}\n\ndiff --git a/.env b/.env\nnew file mode 100644\n--- /dev/null\n"
        "+++ b/.env\n@@ -0,0 +1,2 @@\n+URL=postgresql://u:pw123456@localhost/x\n"
        "+PROD=postgresql://admin:Tr0ub4dor3xyz@db.acme.io/app\n"
    )
    history = secrets.read_log(log)
    assert secrets.env_files_committed(history) == {".env": "a" * 40}
    found = secrets.scan_history(history)
    assert [(f.kind, f.line) for f in found] == [("Basic Auth Credentials", 2)]
    assert "Tr0ub4dor3xyz" not in str(found[0])


# README -------------------------------------------------------------------------------


def test_links_in_code_are_not_links_and_reference_links_resolve_to_their_definition():
    document = markdown.parse(
        "# T\n\nSee [a](docs/a.md#x) and `[no](b.md)`.\n\n```\n[no](c.md)\n```\n\n"
        "![d][diagram]\n\n[diagram]: img/d.png\n"
    )
    assert [(link.target, link.image) for link in document.links] == [
        ("docs/a.md#x", False),
        ("img/d.png", True),
    ]


def test_setup_commands_leave_out_containers_installs_servers_and_cd():
    document = markdown.parse(
        "## Setup\n\n```bash\ngit clone x\ncd x\nuv sync\ncp .env.example .env\n"
        "docker compose up -d\nuv run alembic upgrade head\nuvicorn app:app\n```\n\n"
        "```console\n$ expense-tracker --help\nusage: ...\n```\n"
    )
    found = setup.commands(setup.setup_sections(document, ("setup",)), ("DATABASE_URL",))
    assert [c.runnable for c in found if not c.skipped] == [
        "cp .env.example .env",
        "alembic upgrade head",
        "expense-tracker --help",
    ]


# the emulated boot's database ---------------------------------------------------------


@pytest.fixture
def deployment(tmp_path: Path) -> Deployment:
    (tmp_path / "pyproject.toml").write_text(GOOD)
    manifest = manifest_module.load(tmp_path)
    workspace = Workspace(source=tmp_path, root=tmp_path / "ws")
    workspace.pristine.mkdir(parents=True)
    for name, text in {"Dockerfile": DOCKERFILE, ".env.example": ENV_EXAMPLE}.items():
        (workspace.pristine / name).write_text(text)
    return Deployment(workspace, manifest)


def test_a_compose_url_naming_another_user_than_the_database_creates_is_a_mismatch(deployment):
    compose_file = deployment.workspace.pristine / "compose.yaml"
    compose_file.write_text(COMPOSE)
    assert boot.database_mismatch(deployment) is None
    compose_file.write_text(
        COMPOSE.replace("psycopg://${POSTGRES_USER:-expenses}:", "psycopg://app:")
    )
    del deployment.compose  # read again
    assert boot.database_mismatch(deployment) == "user"


def test_the_deploy_table_refuses_a_path_outside_the_project(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        GOOD + '\n[tool.roadmap.deploy]\nworkflow = "../ci.yml"\n'
    )
    with pytest.raises(ManifestError, match=r"\[tool.roadmap.deploy\] workflow: must be a path"):
        manifest_module.load(tmp_path)
