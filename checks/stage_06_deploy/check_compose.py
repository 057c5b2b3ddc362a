"""Compose: the app and its database, valid and sound."""

from __future__ import annotations

import re

from checks.harness.catalog import check
from checks.harness.doors.deploy import literals, tools
from checks.harness.doors.deploy.commands import container_command, runs
from checks.harness.doors.deploy.compose import Service
from checks.harness.doors.deploy.files import Deployment
from checks.harness.failure import CheckFailed, clip

POSTGRES_IMAGES = ("postgres", "postgis", "pgvector", "timescaledb")
POSTGRES_DATA = "/var/lib/postgresql"
SHOWN = 10


@check("compose-valid")
def check_compose_valid(deployment: Deployment) -> None:
    """Your compose file is valid against the Compose Specification's schema.

    Why: `docker compose` refuses a file with a misspelt key or a value of the wrong kind,
    but only on the machine that runs it: on a reviewer's laptop, or on the server during
    a deploy. The schema catches it before anyone tries.

    Fix: run `docker compose config` where Docker is installed, or
    `uvx check-jsonschema --builtin-schema vendor.compose-spec compose.yaml`, and fix the
    key each error names (the path `$.services.app.ports` points at it).
    """
    path = deployment.compose_path
    errors = deployment.schema_errors(tools.COMPOSE_SCHEMA)
    shown = deployment.shown(path)
    if errors:
        raise CheckFailed(
            f"{shown} does not match the Compose Specification",
            ran=f"check-jsonschema --builtin-schema {tools.COMPOSE_SCHEMA} {shown}",
            got=clip("\n".join(errors[:SHOWN]), 1500),
            expected="ok -- validation done",
        )
    _ = deployment.compose  # and it reads as YAML compose accepts
    if not deployment.compose.services:
        raise CheckFailed(f"{shown} defines no services", expected="services: app and db")


def _postgres_image(image: str) -> tuple[str, str]:
    """(repository's last part, tag) of an image reference."""
    reference = image.split("@", 1)[0]
    name, _, tag = (
        reference.rpartition(":") if ":" in reference.split("/")[-1] else (reference, "", "")
    )
    return name.rsplit("/", 1)[-1], tag


@check("compose-sound")
def check_compose_sound(deployment: Deployment) -> None:
    """Compose: a tagged, healthy PostgreSQL with a volume, no literal password, migrations run.

    Why: each of these is a way `docker compose up` works once and fails later: an app
    that starts before the database accepts connections, an untagged `postgres` that
    becomes another major version, data in the container that `down` deletes, a password
    in git, a schema nobody created.

    Fix: `db`: `image: postgres:16-alpine`, a `healthcheck` running `pg_isready`, a named
    volume at `/var/lib/postgresql/data`, `POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?}`;
    `app`: `depends_on: {db: {condition: service_healthy}}`, and run the migrations when
    the container starts (an entrypoint script: `alembic upgrade head`, then `exec "$@"`).
    """
    deployment.require_valid(tools.COMPOSE_SCHEMA)
    compose = deployment.compose
    deploy = deployment.manifest.deploy
    app = deployment.service(deploy.app_service, "your API")
    db = deployment.service(deploy.db_service, "PostgreSQL")
    ran = f"read {compose.path}"
    problems: list[str] = []
    name, tag = _postgres_image(db.image)
    if not any(known in name for known in POSTGRES_IMAGES):
        problems.append(f"{db.name}: image is {db.image or 'not set'}, not a postgres image")
    elif not tag or tag == "latest":
        problems.append(f"{db.name}: image {db.image} has no version tag (postgres:16-alpine)")
    if "pg_isready" not in db.healthcheck():
        problems.append(f"{db.name}: no healthcheck running pg_isready")
    named = compose.named_volumes()
    data = [source for source, target in db.volumes() if target.startswith(POSTGRES_DATA)]
    if not any(source in named for source in data):
        problems.append(
            f"{db.name}: no named volume at {POSTGRES_DATA}/data (declared under volumes:)"
        )
    condition = app.depends_on().get(db.name)
    if condition != "service_healthy":
        problems.append(
            f"{app.name}: depends_on {db.name} "
            + (f"with condition {condition}" if condition else "is missing")
            + ", not condition: service_healthy"
        )
    problems += _literal_secrets(db) + _literal_secrets(app)
    if db.environment().get("POSTGRES_HOST_AUTH_METHOD") == "trust":
        problems.append(f"{db.name}: POSTGRES_HOST_AUTH_METHOD=trust: no password at all")
    if not _migrations_run(deployment, app):
        upgrade = " ".join(deployment.manifest.migrations.upgrade)
        problems.append(
            f"no service runs `{upgrade}`: not the app's command, its entrypoint script, nor a "
            "one-shot service the app depends on"
        )
    if problems:
        raise CheckFailed(
            f"{compose.path} would not run your app reliably ({len(problems)} problem(s))",
            ran=ran,
            got="\n".join(problems),
            expected="a tagged postgres with a pg_isready healthcheck and a named volume, the "
            "app depending on it being healthy, passwords from variables, migrations run",
        )


def _literal_secrets(service: Service) -> list[str]:
    found = []
    for name, value in service.environment(written=True).items():
        if literals.holds_secret(name, value):
            found.append(
                f"{service.name}: {name} is written in the file ({literals.masked(value or '')}),"
                f" not taken from a variable"
            )
    return found


def _migrations_run(deployment: Deployment, app: Service) -> bool:
    upgrade = deployment.manifest.migrations.upgrade
    paths = deployment.image_paths
    if runs(paths, deployment.command, upgrade):
        return True
    for name in app.depends_on():
        service = deployment.compose.services.get(name)
        if service is None or name == deployment.manifest.deploy.db_service:
            continue
        stage = deployment.final if service.build() else None
        command = (
            container_command(stage, service)
            if stage
            else tuple(re.split(r"\s+", str(service.command_of("command") or "")))
        )
        if runs(paths, command, upgrade):
            return True
    return False
