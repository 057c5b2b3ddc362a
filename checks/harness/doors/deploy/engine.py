"""A real container engine, where one works: build the image, run it to /health.

Most machines the checker runs on (mentors' laptops, many CI runners, this course's own)
have no working engine: `docker info` fails without a daemon, rootless podman without
user namespaces. Then the check says it did not run; it never passes. Where one works,
the engine (the checker's tool, not a learner program) builds the learner's Dockerfile
and runs the image on the host's network, pointed at the run's database.
"""

from __future__ import annotations

import os
import secrets
import shutil
import time
import urllib.error
import urllib.request
from pathlib import Path

from checks.harness import environment
from checks.harness.doors.deploy import boot
from checks.harness.doors.deploy.files import Deployment
from checks.harness.manifest import Manifest
from checks.harness.process import Completed, run
from checks.harness.workspace import Workspace

ENGINES = ("docker", "podman")
INFO_SECONDS = 20.0
BUILD_SECONDS = 900.0  # pulling a base image and installing dependencies
START_SECONDS = 60.0
HEALTH_POLL = 0.5


def find() -> str | None:
    """The first engine whose `info` answers, or None."""
    for name in ENGINES:
        path = shutil.which(name)
        if path is None:
            continue
        done = run([path, "info"], cwd=Path("/"), env=_env(), timeout=INFO_SECONDS, learner=False)
        if done.ok:
            return path
    return None


def _env() -> dict[str, str]:
    keep = ("PATH", "HOME", "DOCKER_HOST", "DOCKER_CONFIG", "XDG_RUNTIME_DIR", "CONTAINER_HOST")
    return {name: os.environ[name] for name in keep if name in os.environ}


def tag_of(deployment: Deployment) -> str:
    return f"roadmap-check-{deployment.workspace.root.name.lower()}"


def _build_args(deployment: Deployment) -> list[str]:
    args = ["build", "-t", tag_of(deployment), "-f", str(deployment.dockerfile_path)]
    if deployment.final.name and deployment.final is not deployment.dockerfile.stages[-1]:
        args += ["--target", deployment.final.name]
    return [*args, str(deployment.context)]


def shown_build(deployment: Deployment) -> str:
    dockerfile = deployment.shown(deployment.dockerfile_path)
    return f"docker build -t app -f {dockerfile} {deployment.shown(deployment.context) or '.'}"


def build(engine: str, deployment: Deployment) -> Completed:
    return run(
        [engine, *_build_args(deployment)],
        cwd=deployment.context,
        env=_env(),
        timeout=BUILD_SECONDS,
        learner=False,
        network=True,
    )


def run_to_health(
    engine: str, deployment: Deployment, installed: Workspace, manifest: Manifest, url: str
) -> tuple[int | None, str]:
    """Run the image on the host's network with the checker's database and secret; the
    status /health answered (None: nothing did) and the container's log."""
    name = f"{tag_of(deployment)}-{secrets.token_hex(3)}"
    values = boot.compose_env(deployment) | environment.with_database(manifest, url)
    env_file = installed.own / f"{name}.env"
    env_file.write_text("".join(f"{k}={v}\n" for k, v in values.items()), "utf-8")
    env_file.chmod(0o600)
    port = boot.plan(deployment, installed, url, installed.scratch("image")).port
    started = run(
        [
            engine,
            "run",
            "-d",
            "--name",
            name,
            "--network",
            "host",
            "--env-file",
            str(env_file),
            tag_of(deployment),
        ],
        cwd=Path("/"),
        env=_env(),
        timeout=START_SECONDS,
        learner=False,
    )
    status: int | None = None
    try:
        if started.ok:
            deadline = time.monotonic() + START_SECONDS
            while time.monotonic() < deadline and status != 200:
                status = _status(port, manifest.quality.health)
                time.sleep(HEALTH_POLL)
        logs = run([engine, "logs", name], cwd=Path("/"), env=_env(), timeout=30, learner=False)
        return status, (logs.stdout + logs.stderr) if started.ok else started.stderr
    finally:
        for command in (
            ["stop", "-t", "10", name],
            ["rm", "-f", name],
            ["rmi", "-f", tag_of(deployment)],
        ):
            run([engine, *command], cwd=Path("/"), env=_env(), timeout=60, learner=False)
        env_file.unlink(missing_ok=True)


def _status(port: int, path: str) -> int | None:
    try:  # the host's network: the container runs there, not in the run's
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=3) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except (OSError, ValueError):
        return None
