"""Settings from the environment: refused when missing, listed in .env.example, never committed."""

import re

from checks.harness import environment
from checks.harness.catalog import check
from checks.harness.doors.http.resource import LearnerApi
from checks.harness.doors.http.startup import require_refusal
from checks.harness.doors.repo import git
from checks.harness.doors.storage import Storage
from checks.harness.failure import CheckFailed, shown_output
from checks.harness.manifest import Manifest
from checks.harness.settings import Settings
from checks.harness.transcript import Transcript
from checks.harness.workspace import Workspace

EXAMPLE = ".env.example"
TEMPLATES = re.compile(r"\.env\.(example|sample|template|dist)$")
ENV_FILE = re.compile(r"(^|/)\.env(\.[\w.-]+)?$")
ASSIGNMENT = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")


@check("refuses-missing-settings")
def check_refuses_missing_settings(
    installed: Workspace, manifest: Manifest, storage: Storage, run_settings: Settings
) -> None:
    """In production mode, your app refuses to start without each required setting, naming it.

    Why: an app that falls back to a default database in production writes your users'
    data to a file on one container's disk, which the next deploy throws away. Refusing
    to start, with the variable's name, turns a silent data loss into a one-line fix.

    Fix: in `core/config.py`, give the database URL (and the secret) no default in
    production: with pydantic-settings, a field without a default, or a validator that
    raises outside development; the error names the variable.
    """
    for variable in manifest.required_settings:
        require_refusal(manifest, installed, storage, run_settings.timeout, variable)


def example_variables(workspace: Workspace) -> dict[str, str]:
    """The variables .env.example sets, and their values, as a shell would read them."""
    found = {}
    for line in (workspace.pristine / EXAMPLE).read_text("utf-8", errors="replace").splitlines():
        if line.lstrip().startswith("#"):
            continue
        if match := ASSIGNMENT.match(line):
            found[match.group(1)] = match.group(2).strip("'\"")
    return found


def known_settings(manifest: Manifest) -> list[str]:
    """The variables the manifest knows the app reads."""
    names = [*manifest.required_settings, manifest.production[0]]
    if manifest.auth:
        names += [manifest.auth.secret_env, manifest.auth.lifetime_env]
    names += [name for name, _ in manifest.extra_env]
    return list(dict.fromkeys(names))


@check("env-example-complete")
def check_env_example_complete(
    installed: Workspace,
    manifest: Manifest,
    storage: Storage,
    run_settings: Settings,
    transcript: Transcript,
) -> None:
    """`.env.example` is committed, lists every setting, and is enough to start your app.

    Why: the next person to run your service (a colleague, a reviewer, you in a year)
    learns its settings from `.env.example`; one it forgets is an app that will not start,
    or worse, one that starts with a default nobody chose.

    Fix: list every variable your settings read in `.env.example`, with a placeholder or
    a safe development value and a comment; commit it (`git add -f .env.example` if your
    .gitignore hides it), and keep `.env` itself out of git.
    """
    if EXAMPLE not in git.tracked_files(installed):
        raise CheckFailed(
            f"{EXAMPLE} is not committed",
            ran=f"git ls-files {EXAMPLE}",
            expected=f"{EXAMPLE} in your repository, listing every setting",
        )
    listed = example_variables(installed)
    missing = [name for name in known_settings(manifest) if name not in listed]
    if missing:
        raise CheckFailed(
            f"{EXAMPLE} does not list {', '.join(missing)}",
            got=f"{EXAMPLE} sets: {', '.join(listed) or 'nothing'}",
            expected=f"every setting your app reads: {', '.join(known_settings(manifest))}",
        )
    # Only what .env.example says, with the checker's own database and secret in it.
    given = storage.env() | environment.program_env(manifest, storage.url)
    values = {name: given.get(name, value) for name, value in listed.items()}
    changes: dict[str, str | None] = {name: None for name in given if name not in listed}
    changes |= values | {manifest.production[0]: manifest.production[1]}
    api = LearnerApi.serve(
        manifest, installed, storage, transcript, run_settings.timeout, env_changes=changes
    )
    health = manifest.quality.health
    try:
        api.start()
        answer = api.request("GET", health, server_errors=True)
    except CheckFailed as failure:
        raise CheckFailed(
            f"with only the settings in {EXAMPLE}, your app does not start",
            ran=api.command,
            got=failure.got or shown_output(api.served.log_tail(), 800),
            expected=f"the variables of {EXAMPLE} to be enough to run your app",
        ) from None
    finally:
        api.stop()
    if answer.status != 200:
        raise answer.failure(
            f"with only the settings in {EXAMPLE}, {health} does not answer 200",
            expected="200: the app runs with what the example file lists",
        )


@check("env-file-not-tracked")
def check_env_file_not_tracked(workspace: Workspace) -> None:
    """No `.env` file is committed (`.env.example` is the one that belongs in git).

    Why: `.env` holds the real secrets of a machine: database passwords, signing keys. In
    git, they are in every clone and every fork forever, even after you delete the file.

    Fix: `git rm --cached .env`, add `.env` to .gitignore, and change every secret it
    held: once pushed, treat them as public.
    """
    tracked = [
        path
        for path in git.tracked_files(workspace)
        if ENV_FILE.search(path) and not TEMPLATES.search(path)
    ]
    if tracked:
        raise CheckFailed(
            f"{tracked[0]} is committed",
            ran="git ls-files",
            got=", ".join(tracked[:5]),
            expected=".env files kept out of git, only .env.example committed",
        )
