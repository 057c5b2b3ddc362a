"""`[tool.roadmap.deploy]` (stage 6 on): where the project keeps what deploys it.

Every key has a default, the layout the brief builds: a `Dockerfile` and a compose file at
the root, services called `app` and `db`, `.github/workflows/ci.yml`, `README.md` and
`docs/decisions/`. Real projects vary (`deploy/Dockerfile`, `docker-compose.yml`, a service
called `api`, `docs/adr/`): the table says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from checks.harness.manifest.table import EXAMPLES, Table

# What `docker compose` looks for, in its own order of preference.
COMPOSE_FILES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")

EXAMPLES |= {
    "deploy.dockerfile": 'dockerfile = "deploy/Dockerfile"',
    "deploy.compose": 'compose = "docker-compose.yml"',
    "deploy.app_service": 'app_service = "api"',
    "deploy.db_service": 'db_service = "postgres"',
    "deploy.workflow": 'workflow = ".github/workflows/tests.yml"',
    "deploy.readme": 'readme = "README.md"',
    "deploy.decisions": 'decisions = "docs/adr"',
}


@dataclass(frozen=True)
class Deploy:
    dockerfile: str = "Dockerfile"
    compose: str | None = None  # None: the first of COMPOSE_FILES the project holds
    app_service: str = "app"  # the compose service that runs the API
    db_service: str = "db"  # the compose service that runs PostgreSQL
    workflow: str = ".github/workflows/ci.yml"
    readme: str = "README.md"
    decisions: str = "docs/decisions"  # the folder of the project's ADRs

    @property
    def compose_files(self) -> tuple[str, ...]:
        """The compose files to look for, in order: the one declared, or compose's own."""
        return (self.compose,) if self.compose else COMPOSE_FILES


PATHS = ("dockerfile", "compose", "workflow", "readme", "decisions")


def read(table: Table | None) -> Deploy:
    """The section, or the conventions when the project has none."""
    if table is None:
        return Deploy()
    values: dict[str, str] = {}
    for key in (*PATHS, "app_service", "db_service"):
        if key in table:
            values[key] = table.get(key, str).strip()
    for key in PATHS:
        if key in values:
            path = PurePosixPath(values[key])
            if path.is_absolute() or ".." in path.parts:
                raise table.fail(key, "must be a path inside your project, relative to it")
            values[key] = str(path)
    return Deploy(**values)
