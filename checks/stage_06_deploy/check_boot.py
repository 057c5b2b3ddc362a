"""It boots as the image would: without a container engine, and with one where it works."""

from __future__ import annotations

import time
import urllib.error
import urllib.request

from checks.harness.catalog import check
from checks.harness.doors.deploy import boot, engine
from checks.harness.doors.deploy.files import Deployment
from checks.harness.doors.http.server import Server
from checks.harness.doors.storage import database
from checks.harness.failure import CheckFailed, NotApplicable, clip, outcome, shown_output
from checks.harness.manifest import Manifest
from checks.harness.netns import run_network
from checks.harness.workspace import Workspace

BOOT_SECONDS = 20.0  # from the start to /health answering 200
STOP_SECONDS = 10.0  # docker stop's grace period before it kills
CLEAN_EXITS = (0, 143, -15)  # exited, or ended by the SIGTERM it was sent


def health_status(port: int, path: str) -> int | None:
    """The status GET `path` answers on the port, or None when nothing answers."""
    with run_network():
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=3) as answer:
                return int(answer.status)
        except urllib.error.HTTPError as error:
            return int(error.code)
        except (OSError, ValueError):
            return None


def _ran(plan: boot.Boot, deployment: Deployment) -> str:
    return (
        f"docker compose up {deployment.manifest.deploy.app_service}  # emulated: {plan.shown}\n"
        f"#   run as `{' '.join(plan.argv)}` in {plan.cwd.name}/ (the image's WORKDIR), with "
        "the image's ENV, the service's environment, and a fresh, empty database"
    )


@check("emulated-boot")
def check_emulated_boot(deployment: Deployment, installed: Workspace, manifest: Manifest) -> None:
    """Run as the image runs it, your app migrates an empty database, serves /health, obeys SIGTERM.

    Why: the image's command is code that no test of yours runs: an entrypoint that never
    migrates, a path that exists only on your laptop, a server that ignores `docker stop`
    and is killed after 10 s mid-request. This runs that command, as the image would, on a
    database as empty as a first deploy's.

    Fix: read the server's output below. Run the migrations when the container starts (an
    entrypoint script: `alembic upgrade head`, then `exec "$@"`), start the server with
    `exec` so it receives SIGTERM, and check that the variables compose gives the app name
    the database service's user, password, database and host.
    """
    mismatch = boot.database_mismatch(deployment) if _has_compose(deployment) else None
    if mismatch:
        raise CheckFailed(
            f"the database URL compose gives your app disagrees with the database service "
            f"on: {mismatch}",
            ran=f"read the app and {manifest.deploy.db_service} services of "
            f"{deployment.compose.path}",
            expected=f"{manifest.database.url_env} naming the user, password and database "
            f"the {manifest.deploy.db_service} service creates, at host "
            f"{manifest.deploy.db_service}, port 5432",
        )
    migrated = set(database.schema_tables())  # the migrations' own failure blocks this check
    url = database.empty()
    plan = boot.plan(deployment, installed, url, installed.scratch("boot"))
    server = Server(
        plan.argv, cwd=plan.cwd, env=plan.env, port=plan.port, shown=_ran(plan, deployment)
    )
    began = time.monotonic()
    try:
        try:
            server.start(BOOT_SECONDS)
        except CheckFailed as failure:
            failure.problem = f"booted as its image would boot it, {failure.problem}"
            failure.args = (failure.problem,)
            raise
        status = None
        while time.monotonic() - began < BOOT_SECONDS:
            status = health_status(server.port, manifest.quality.health)
            if status == 200 or not server.alive():
                break
            time.sleep(0.2)
        if status != 200:
            raise CheckFailed(
                f"booted as the image would, your app did not answer {manifest.quality.health} "
                f"with 200 within {BOOT_SECONDS:.0f} s",
                ran=_ran(plan, deployment),
                got=(f"status {status}" if status else "no answer")
                + f"\nits output:\n{shown_output(server.log_tail(), 1500)}",
                expected=f"200 from {manifest.quality.health}",
            )
        missing = sorted(migrated - database.tables(url))
        if missing:
            raise CheckFailed(
                "your app answered, but its database was never migrated",
                ran=_ran(plan, deployment),
                got=f"tables missing: {', '.join(missing)}",
                expected="the tables your migrations make: the image (or a one-shot service) "
                f"runs `{' '.join(manifest.migrations.upgrade)}` before the server",
            )
        code = server.terminate(STOP_SECONDS)
        if code not in CLEAN_EXITS:
            raise CheckFailed(
                "your app did not stop cleanly on SIGTERM"
                if code is not None
                else f"your app was still running {STOP_SECONDS:.0f} s after SIGTERM",
                ran=_ran(plan, deployment) + "\ndocker stop  # SIGTERM to the container's first "
                "process",
                got=(f"exit code {code}" if code is not None else "killed after 10 s")
                + f"\nits last output:\n{shown_output(server.log_tail(), 800)}",
                expected=f"exit code 0 within {STOP_SECONDS:.0f} s: `exec` the server from your "
                "entrypoint script, so the signal reaches it",
            )
    finally:
        server.stop()


def _has_compose(deployment: Deployment) -> bool:
    try:
        _ = deployment.compose
    except CheckFailed:
        return False
    return True


@check("image-builds")
def check_image_builds(deployment: Deployment, manifest: Manifest) -> None:
    """Where a container engine works, your image builds and answers /health when it runs.

    Why: everything else in this stage reads and emulates; only a real build shows that
    every `COPY` finds its file, every `RUN` succeeds and the image starts. Most CI
    runners have Docker; many laptops and mentors' machines do not, so this runs where it
    can and says so where it cannot.

    Fix: run `docker build -t app .` and read the step that fails; then `docker run`
    it with your `.env` and ask `/health`.
    """
    found = engine.find()
    if found is None:
        raise NotApplicable(
            "no container engine on this machine (`docker info` and "
            "`podman info` both failed), so the image was not built; emulated-boot ran "
            "what it would run"
        )
    built = engine.build(found, deployment)
    if not built.ok:
        raise CheckFailed(
            "your image does not build",
            ran=engine.shown_build(deployment),
            got=clip(outcome(built), 2000),
            expected="a built image",
        )
    url = database.empty()
    status, log = engine.run_to_health(found, deployment, deployment.workspace, manifest, url)
    if status != 200:
        raise CheckFailed(
            f"your image built, but its container did not answer {manifest.quality.health} "
            "with 200",
            ran=f"{engine.shown_build(deployment)}\ndocker run --network host --env-file ... app",
            got=(f"status {status}" if status else "no answer") + f"\n{shown_output(log, 1500)}",
            expected=f"200 from {manifest.quality.health}",
        )
