"""The learner's deployment files, found where the manifest says and read once per check.

Everything is read from the pristine copy, which no learner program can change. A file
that is missing, or that its reader cannot make sense of, is a failure of the check that
grades that file (the Dockerfile's lint, the compose file's schema, the workflow's
schema, the README's sections); the checks that stand on it are blocked by that one.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from checks.harness import shared
from checks.harness.doors.deploy import tools, yamlfile
from checks.harness.doors.deploy.commands import container_command
from checks.harness.doors.deploy.compose import Compose, Service, env_file_values
from checks.harness.doors.deploy.dockerfile import Dockerfile, DockerfileError, Stage
from checks.harness.doors.deploy.dockerfile import parse as parse_dockerfile
from checks.harness.doors.deploy.imagepaths import ImagePaths
from checks.harness.doors.deploy.markdown import Document
from checks.harness.doors.deploy.markdown import parse as parse_markdown
from checks.harness.doors.deploy.workflow import Workflow
from checks.harness.failure import CheckFailed
from checks.harness.manifest import Manifest
from checks.harness.workspace import Workspace

# The checks that grade each file's existence and shape: the others stand on them.
DOCKERFILE_STEP = "06-deploy/dockerfile-lint"
COMPOSE_STEP = "06-deploy/compose-valid"
WORKFLOW_STEP = "06-deploy/workflow-valid"
README_STEP = "06-deploy/readme-sections"
EXAMPLE_ENV = ".env.example"
MAX_TEXT = 1_000_000


@dataclass
class Deployment:
    workspace: Workspace
    manifest: Manifest
    state: Path | None = None  # the run's state folder: a schema is validated once a run

    @property
    def root(self) -> Path:
        return self.workspace.pristine

    def locate(self, relative: str) -> Path | None:
        """A file of the project, or, for a project in a folder of its repository, of the
        repository's root (where GitHub reads .github/)."""
        for base in (self.root, self.workspace.repository):
            path = base / relative
            if path.exists() and path.resolve().is_relative_to(self.workspace.repository):
                return path
        return None

    def schema_errors(self, schema: str) -> list[str]:
        """check-jsonschema's errors for the compose file or the workflow (`schema` says
        which), worked out once per run: the check that grades the file shows them, the
        checks that stand on it are blocked by them."""
        path = self.compose_path if schema == tools.COMPOSE_SCHEMA else self.workflow_path

        def validate() -> list[str]:
            return tools.schema_errors(schema, path, self.tool_home())[1]

        found: list[str] = (
            shared.once(self.state, f"schema-{schema}", validate) if self.state else validate()
        )
        return found

    def require_valid(self, schema: str) -> None:
        """Stand on the file's schema: blocked by the check that grades it when it fails."""
        if self.schema_errors(schema):
            file = "compose file" if schema == tools.COMPOSE_SCHEMA else "workflow"
            step = COMPOSE_STEP if schema == tools.COMPOSE_SCHEMA else WORKFLOW_STEP
            raise CheckFailed(f"the {file} does not match its schema", step=step)

    def tool_home(self) -> Path:
        """An empty folder of the checker's, for a tool's HOME: no configuration in it."""
        folder = self.workspace.own / f"deploy-tools-{secrets.token_hex(4)}"
        folder.mkdir(mode=0o700)
        return folder

    def text(self, path: Path) -> str:
        if path.stat().st_size > MAX_TEXT:
            raise CheckFailed(f"{self.shown(path)} is larger than {MAX_TEXT // 1000} kB")
        return path.read_text("utf-8", errors="replace")

    def shown(self, path: Path) -> str:
        """A path as the learner names it: relative to their project."""
        for base in (self.root, self.workspace.repository):
            if path.is_relative_to(base):
                return str(path.relative_to(base))
        return str(path)

    # The Dockerfile ---------------------------------------------------------------------

    @cached_property
    def dockerfile_path(self) -> Path:
        name = self.manifest.deploy.dockerfile
        path = self.locate(name)
        if path is None or not path.is_file():
            raise CheckFailed(
                f"there is no {name} in your project",
                expected=f"a {name} that builds your API's image",
                fix="write a Dockerfile at the root of your project (the brief's milestone 1 "
                'shows one), or say where yours is: dockerfile = "deploy/Dockerfile" '
                "under [tool.roadmap.deploy]",
                step=DOCKERFILE_STEP,
            )
        return path

    @cached_property
    def dockerfile(self) -> Dockerfile:
        path = self.dockerfile_path
        try:
            return parse_dockerfile(self.text(path))
        except DockerfileError as error:
            raise CheckFailed(
                f"{self.shown(path)} cannot be built: {error}",
                expected="a Dockerfile whose first instruction (after ARGs) is FROM",
                step=DOCKERFILE_STEP,
            ) from None

    @cached_property
    def final(self) -> Stage:
        """The stage the app's image is built from (compose's `build.target`, else the
        last)."""
        target = None
        service = self.app_service_or_none
        built = service.build() if service else None
        if built:
            target = built[2]
        return self.dockerfile.final(target)

    @cached_property
    def context(self) -> Path:
        """The build context: compose's `build.context` for the app, else the project."""
        service = self.app_service_or_none
        built = service.build() if service else None
        if built and not built[0].startswith(("http://", "https://", "git@")):
            folder = (self.compose_path.parent / built[0]).resolve()
            if folder.is_dir() and folder.is_relative_to(self.workspace.repository):
                return folder
        return self.root

    @cached_property
    def image_paths(self) -> ImagePaths:
        return ImagePaths(self.dockerfile, self.final, self.context)

    @cached_property
    def command(self) -> tuple[str, ...]:
        """What a container of the app runs (compose's overrides included)."""
        return container_command(self.final, self.app_service_or_none)

    # The compose file -------------------------------------------------------------------

    @cached_property
    def compose_path(self) -> Path:
        for name in self.manifest.deploy.compose_files:
            path = self.locate(name)
            if path is not None and path.is_file():
                return path
        names = " or ".join(self.manifest.deploy.compose_files)
        raise CheckFailed(
            f"there is no compose file in your project ({names})",
            expected="compose.yaml, with your API and its PostgreSQL",
            fix="write compose.yaml with an `app` service built from your Dockerfile and a "
            "`db` service from a postgres image (milestone 2 of the brief), or name yours: "
            'compose = "docker-compose.yml" under [tool.roadmap.deploy]',
            step=COMPOSE_STEP,
        )

    @cached_property
    def values(self) -> dict[str, str]:
        """What compose's `${VAR}` take here: .env.example's values (the file a fresh
        clone copies to .env), never the learner's own .env."""
        example = self.locate(EXAMPLE_ENV)
        return env_file_values(example) if example and example.is_file() else {}

    @cached_property
    def compose(self) -> Compose:
        path = self.compose_path
        try:
            document = yamlfile.load(path, self.shown(path))
        except yamlfile.YamlError as error:
            raise CheckFailed(str(error), step=COMPOSE_STEP) from None
        return Compose.read(self.shown(path), document, self.values)

    @property
    def app_service_or_none(self) -> Service | None:
        try:
            return self.compose.services.get(self.manifest.deploy.app_service)
        except CheckFailed:
            return None

    def service(self, name: str, role: str) -> Service:
        found = self.compose.services.get(name)
        if found is None:
            known = ", ".join(self.compose.services) or "none"
            raise CheckFailed(
                f"{self.compose.path} has no service {name!r}",
                got=f"its services: {known}",
                expected=f"a service {name!r} that runs {role}",
                fix=f"name the service {name!r}, or say which one it is under "
                f"[tool.roadmap.deploy] (app_service, db_service)",
            )
        return found

    # The workflow -----------------------------------------------------------------------

    @cached_property
    def workflow_path(self) -> Path:
        name = self.manifest.deploy.workflow
        path = self.locate(name)
        if path is None or not path.is_file():
            raise CheckFailed(
                f"there is no {name} in your repository",
                expected="a GitHub Actions workflow that lints and tests every push",
                fix=f"write {name} (milestone 3 of the brief), or name yours: "
                'workflow = ".github/workflows/tests.yml" under [tool.roadmap.deploy]',
                step=WORKFLOW_STEP,
            )
        return path

    @cached_property
    def workflow(self) -> Workflow:
        path = self.workflow_path
        try:
            document = yamlfile.load(path, self.shown(path))
        except yamlfile.YamlError as error:
            raise CheckFailed(str(error), step=WORKFLOW_STEP) from None
        data = document if isinstance(document, dict) else {}
        return Workflow(self.shown(path), data)

    # The README -------------------------------------------------------------------------

    @cached_property
    def readme_path(self) -> Path:
        name = self.manifest.deploy.readme
        path = self.locate(name)
        if path is None or not path.is_file():
            raise CheckFailed(
                f"there is no {name} in your project",
                expected="a README that explains the project to a reader who has never seen it",
                step=README_STEP,
            )
        return path

    @cached_property
    def readme(self) -> Document:
        return parse_markdown(self.text(self.readme_path))
