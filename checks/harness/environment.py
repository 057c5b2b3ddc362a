"""What every learner program of a run finds in its environment, beyond where its data is.

Decided here, once, for the CLI, the server, the learner's own tests, the migrations and
the admin command alike: from the manifest's `[tool.roadmap.auth]` (declared at any
stage), the run's signing key, which the checker knows so it can make tokens of its own,
and production mode; from `[tool.roadmap.env]`, the project's other variables with their
placeholders filled. Database URLs are handed out in the scheme the manifest says
(`migrations.scheme`: `postgresql+psycopg`, `postgresql+psycopg2`, ...).
"""

from __future__ import annotations

import re
import secrets
import shlex
from urllib.parse import urlsplit, urlunsplit

from checks.harness import shared
from checks.harness.manifest import Manifest
from checks.harness.manifest import environment as env_table

SECRET = "secret"  # the step that holds the run's signing key


def plan_secret(steps: shared.Steps) -> None:
    """Make the run's signing key, for every process to read (before any worker starts)."""
    steps.plan(SECRET)
    steps.done(SECRET, secrets.token_urlsafe(32))


def secret() -> str:
    """The run's signing key: learner programs sign their tokens with it."""
    found: str = shared.steps().wait(SECRET)
    return found


def program_env(manifest: Manifest, database_url: str | None = None) -> dict[str, str]:
    """The variables every learner program of the run gets besides its data location."""
    env: dict[str, str] = {}
    if manifest.auth is not None:
        env[manifest.auth.secret_env] = secret()
        env[manifest.auth.mode_env] = "production"
    values = {"secret": secret()} if manifest.extra_env else {}
    if database_url is not None:
        values["database_url"] = database_url
    return env | env_table.fill(manifest.extra_env, values)


def secret_lines(manifest: Manifest) -> list[str]:
    """`program_env`'s key and mode as a line a learner pastes. The key is the run's own:
    the tokens the checker made and shows (an expired one, say) are signed with it, so
    they mean the same in the learner's shell as they did in the run."""
    auth = manifest.auth
    if auth is None:
        return []
    key = shlex.quote(secret())
    comment = "# the key this run signed its tokens with"
    return [f"export {auth.secret_env}={key} {auth.mode_env}=production  {comment}"]


def extra_lines(manifest: Manifest, url_env: str | None) -> list[str]:
    """`[tool.roadmap.env]` as lines a learner pastes, after the database's: its
    `{database_url}` is the variable `url_env` that holds the URL by then."""
    marker = "\0"
    values = {"secret": secret()} if manifest.extra_env else {}
    if url_env is not None:
        values["database_url"] = marker
    lines = []
    for name, value in env_table.fill(manifest.extra_env, values).items():
        if marker in value:
            escaped = re.sub(r'([\\"$`])', r"\\\1", value).replace(marker, f"${{{url_env}}}")
            lines.append(f'export {name}="{escaped}"')
        else:
            lines.append(f"export {name}={shlex.quote(value)}")
    return lines


def with_database(manifest: Manifest, url: str) -> dict[str, str]:
    """Everything a program gets to work on the database at `url`: its variables (the
    URL in the manifest's scheme, whole or in parts) and `program_env`'s."""
    url = learner_url(url, manifest)
    return manifest.database.variables(url) | program_env(manifest, url)


def learner_url(url: str, manifest: Manifest) -> str:
    """A PostgreSQL URL as the learner's code expects it: in the manifest's scheme."""
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        return url  # SQLite: the scheme is the file's, not a driver's
    return urlunsplit((manifest.migrations.scheme, *parts[1:]))
