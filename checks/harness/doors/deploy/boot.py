"""Boot the app as its image would, without a container engine.

The image's command (ENTRYPOINT and CMD, as compose overrides them) runs in the project's
own environment, which stands for the image's: its paths are translated (`/app/.venv/...`
is the project's venv, `/app/docker-entrypoint.sh` the project's script, WORKDIR the
project's folder), its environment is the final stage's `ENV` and the app service's
`environment` and `env_file` (interpolated from `.env.example`), and its database is a
fresh, empty one of the run's: the variables that name the database (the URL compose
builds from parts included) are replaced by the checker's. It runs as every learner
program does: contained, as the learner's user, in the run's network.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from checks.harness import environment, process
from checks.harness.doors.deploy.commands import binding, scripts
from checks.harness.doors.deploy.compose import env_file_values
from checks.harness.doors.deploy.files import Deployment
from checks.harness.failure import CheckFailed
from checks.harness.workspace import Workspace

DEFAULT_PORT = 8000
SYSTEM = ("sh", "bash", "dash", "env", "exec")  # programs of the machine, not of the venv
UV_RUN_VALUES = {"--with", "--python", "-p", "--group", "--extra", "--env-file", "--package"}


@dataclass(frozen=True)
class Boot:
    argv: list[str]  # runnable here
    shown: str  # as the image runs it
    cwd: Path
    env: dict[str, str]
    port: int


class Translator:
    """Image paths to this machine's: the venv, the project's files, the WORKDIR."""

    def __init__(self, deployment: Deployment, installed: Workspace) -> None:
        self.deployment, self.installed = deployment, installed
        self.paths = deployment.image_paths

    def local(self, word: str) -> str:
        if "=" in word and word.startswith("-"):
            option, _, value = word.partition("=")
            return f"{option}={self.local(value)}"
        if not word.startswith(("/", "./", "../")):
            return word
        in_venv = self.paths.in_venv(word)
        if in_venv is not None:
            return str(self.installed.venv / in_venv)
        source = self.paths.source(word)
        if source is not None and source.is_relative_to(self.deployment.root):
            return str(self.installed.project / source.relative_to(self.deployment.root))
        name = PurePosixPath(word).name
        in_bin = PurePosixPath(word).parent.name == "bin" and name not in SYSTEM
        if in_bin and (self.installed.bin / name).exists():  # /usr/local/bin/uvicorn
            return str(self.installed.bin / name)
        return word

    def text(self, text: str) -> str:
        """A shell text with the image's venvs and WORKDIR put where they are here."""
        places = {venv: str(self.installed.venv) for venv in self.paths.venvs()}
        workdir = self.deployment.final.workdir
        if workdir != "/" and self.workdir() == self.installed.project:
            places.setdefault(workdir.rstrip("/"), str(self.installed.project))
        for image, here in sorted(places.items(), key=lambda item: -len(item[0])):
            text = re.sub(rf"(?<![\w./-]){re.escape(image)}(?=[/\s\"':;]|$)", here, text)
        return text

    def workdir(self) -> Path:
        workdir = self.deployment.final.workdir
        source = self.paths.source(workdir) if workdir != "/" else None
        if source is not None and source.is_dir() and source.is_relative_to(self.deployment.root):
            return self.installed.project / source.relative_to(self.deployment.root)
        return self.installed.project

    def script(self, image_path: str, project_file: Path) -> str:
        """The project's script to run for `image_path`: itself, or, when it names the
        image's paths, a translated copy beside it (so `$(dirname "$0")` still works)."""
        relative = project_file.relative_to(self.deployment.root)
        here = self.installed.project / relative
        text = project_file.read_text("utf-8", errors="replace")
        translated = self.text(text)
        if translated == text:
            return str(here)
        copy = here.with_name(f".{here.name}.roadmap-boot")
        copy.write_text(translated, "utf-8")
        copy.chmod(0o755)
        return str(copy)


def without_uv_run(argv: list[str]) -> list[str]:
    """`uv run [options] X ...` is X here: the venv is already what uv would sync."""
    if len(argv) < 2 or PurePosixPath(argv[0]).name != "uv" or argv[1] != "run":
        return argv
    rest = argv[2:]
    while rest and rest[0].startswith("-"):
        option = rest.pop(0)
        if option == "--":
            break
        if option in UV_RUN_VALUES and rest:
            rest.pop(0)
    return rest


def command_here(deployment: Deployment, translator: Translator) -> list[str]:
    command = list(deployment.command)
    if not command:
        raise CheckFailed(
            "the image runs nothing: its last stage has no CMD or ENTRYPOINT",
            ran=f"read {deployment.shown(deployment.dockerfile_path)}",
            expected='CMD ["uvicorn", "your_package.api.main:app", "--host", "0.0.0.0", ...]',
        )
    known = {path: file for path, file in scripts(deployment.image_paths, tuple(command))}
    argv = []
    for word in without_uv_run(command):
        argv.append(
            translator.script(word, known[word]) if word in known else translator.local(word)
        )
    for index, word in enumerate(argv[:-1]):  # shell form: translate the text it runs
        if word == "-c":
            argv[index + 1] = translator.text(argv[index + 1])
    return argv


def compose_env(deployment: Deployment) -> dict[str, str]:
    """The app service's env_file values, then its environment, as compose gives them."""
    service = deployment.app_service_or_none
    if service is None:
        return {}
    env: dict[str, str] = {}
    folder = deployment.compose_path.parent
    for name, required in service.env_files():
        path = folder / name
        if path.is_file():
            env |= env_file_values(path)
        elif PurePosixPath(name).name == ".env":
            env |= deployment.values  # a fresh clone's .env is a copy of .env.example
        elif required:
            raise CheckFailed(
                f"the app service's env_file {name} is not in your repository",
                ran=f"read {deployment.compose.path}",
                expected="env files compose can read in a fresh clone (or `required: false`)",
            )
    return env | {name: value for name, value in service.environment().items() if value is not None}


def database_mismatch(deployment: Deployment) -> str | None:
    """How the URL compose gives the app disagrees with what the database service creates
    (user, password, database, host, port); None when they agree or there is no URL."""
    service = deployment.app_service_or_none
    db = deployment.compose.services.get(deployment.manifest.deploy.db_service)
    if service is None or db is None:
        return None
    url = compose_env(deployment).get(deployment.manifest.database.url_env, "")
    if not url.startswith("postgres"):
        return None
    parts = urlsplit(url)
    created = db.environment()
    user = created.get("POSTGRES_USER") or "postgres"
    expected = {
        "user": user,
        "password": created.get("POSTGRES_PASSWORD") or "",
        "database": created.get("POSTGRES_DB") or user,
        "host": db.name,
        "port": created.get("PGPORT") or "5432",
    }
    names = {db.name, str(db.data.get("hostname", "")), str(db.data.get("container_name", ""))}
    given = {
        "user": parts.username or "",
        "password": parts.password or "",
        "database": parts.path.lstrip("/"),
        "host": parts.hostname or "",
        "port": str(parts.port or 5432),
    }
    wrong = [
        part
        for part in expected
        if (given["host"] not in names if part == "host" else given[part] != expected[part])
    ]
    if not wrong:
        return None
    return ", ".join(wrong)


def plan(deployment: Deployment, installed: Workspace, url: str, scratch: Path) -> Boot:
    """What to start, where, with what, to stand for `docker compose up app`."""
    translator = Translator(deployment, installed)
    final = deployment.final
    argv = command_here(deployment, translator)
    image_env = {name: translator.text(value) for name, value in final.env.items()}
    path_entries = [
        entry
        for entry in image_env.pop("PATH", "").split(":")
        if entry.startswith(str(installed.root))
    ]
    env = installed.env() | image_env | compose_env(deployment)
    env |= environment.with_database(deployment.manifest, url)
    env["PATH"] = ":".join([*path_entries, env.get("PATH", "")]).strip(":")
    for own in ("home", "tmp"):
        (scratch / own).mkdir(exist_ok=True)
        process.hand_over(scratch / own)
    env |= {"HOME": str(scratch / "home"), "TMPDIR": str(scratch / "tmp")}
    bound = binding(deployment.image_paths, deployment.command, env)
    service = deployment.app_service_or_none
    mapped = [p.container for p in (service.ports() if service else []) if p.container]
    port = (
        (bound.port if bound and bound.port else None)
        or next(iter(final.ports()), None)
        or next(iter(mapped), None)
        or DEFAULT_PORT
    )
    return Boot(argv, shlex.join(deployment.command), translator.workdir(), env, port)
