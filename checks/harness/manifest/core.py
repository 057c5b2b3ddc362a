"""The manifest as a whole: `[tool.roadmap]` read once, before any learner code runs.

Each section has its own module (fields, cli, layers, api); this one reads the top-level
keys, the summary and the samples, and checks that keys naming a field name one that
exists. See docs/reference/manifest.md for the contract.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checks.harness.manifest import api as api_section
from checks.harness.manifest import auth as auth_section
from checks.harness.manifest import cli as cli_section
from checks.harness.manifest import database as database_section
from checks.harness.manifest import deploy as deploy_section
from checks.harness.manifest import environment as environment_section
from checks.harness.manifest import fields as fields_section
from checks.harness.manifest import jobs as jobs_section
from checks.harness.manifest import layers as layers_section
from checks.harness.manifest import migrations as migrations_section
from checks.harness.manifest import project as project_section
from checks.harness.manifest import quality as quality_section
from checks.harness.manifest.api import Api
from checks.harness.manifest.auth import Auth
from checks.harness.manifest.cli import Cli
from checks.harness.manifest.database import Database
from checks.harness.manifest.deploy import Deploy
from checks.harness.manifest.fields import Field
from checks.harness.manifest.jobs import Jobs
from checks.harness.manifest.layers import Layers
from checks.harness.manifest.migrations import Migrations
from checks.harness.manifest.project import Project
from checks.harness.manifest.quality import Quality
from checks.harness.manifest.table import DOCS_HINT, EXAMPLES, ManifestError, Table

EXAMPLES |= {
    "stage": "stage = 1",
    "domain": 'domain = "expenses"',
    "record": 'record = "expense"',
    "id_field": 'id_field = "id"',
    "cli": "[tool.roadmap.cli] with command = ..., or cli = false for a project without one",
    "group_by": 'group_by = "category"',
    "aggregate": 'aggregate = "sum"',
    "field": 'field = "amount"',
    "invalid": 'invalid = { amount = "twelve" }',
}


@dataclass(frozen=True)
class Summary:
    group_by: str
    aggregate: str
    field: str | None


@dataclass(frozen=True)
class Manifest:
    project: str
    stage: int
    domain: str
    record: str
    id_field: str
    fields: dict[str, Field]
    cli: Cli | None  # None: the project declares it has no command line (`cli = false`)
    summary: Summary | None  # a CLI action, so None without a CLI
    invalid: dict[str, str]
    layers: Layers | None = None  # required from stage 2; see `missing_table`
    api: Api | None = None  # required from stage 3
    package: Project = field(
        default_factory=Project
    )  # console scripts, test group, requires-python
    auth: Auth | None = None  # required from stage 4
    migrations: Migrations = field(default_factory=Migrations)  # conventions unless declared
    database: Database = field(default_factory=Database)  # where the database URL is read
    extra_env: tuple[tuple[str, str], ...] = ()  # [tool.roadmap.env]: more variables
    quality: Quality = field(default_factory=Quality)  # stage 5: conventions unless declared
    deploy: Deploy = field(default_factory=Deploy)  # stage 6: conventions unless declared
    jobs: Jobs | None = None  # required from stage 7

    @property
    def package_name(self) -> str:
        """The learner's top-level package, as best read: the console script's module, else
        the app's, else the project's name as an import name."""
        script = self.package.scripts.get(self.cli.command, "") if self.cli else ""
        module = script or (self.api.app if self.api else "")
        return module.split(":")[0].split(".")[0] or re.sub(r"\W+", "_", self.project)

    @property
    def required_settings(self) -> tuple[str, ...]:
        """The variables the app must refuse to start without in production (stage 5)."""
        declared = self.quality.required_settings
        secret = (self.auth.secret_env,) if self.auth else ()
        database = tuple(name for _, name in self.database.parts) or (self.database.url_env,)
        return declared or (*database, *secret)

    @property
    def production(self) -> tuple[str, str]:
        """The variable and value that put the app in production mode."""
        return (self.auth.mode_env if self.auth else "APP_ENV", "production")

    @property
    def data_env(self) -> str:
        """The variable every learner program reads its storage location from."""
        return self.cli.data_env if self.cli else self.database.url_env

    def missing_table(self, stage: int) -> tuple[int, str] | None:
        """The first stage up to `stage` whose table the manifest lacks, with the line that
        says so; None when it can drive every stage up to `stage`."""
        for number, require in ((2, self.require_layers), (3, self.require_api)):
            if number <= stage:
                try:
                    require()
                except ManifestError as missing:
                    return number, str(missing)
        if stage >= 4 and self.auth is None:
            return 4, "[tool.roadmap.auth] is missing"
        if stage >= 4 and self.auth is not None:
            try:  # a login declared before stage 4 needs no admin; stage 4 acts as one
                auth_section.require_admins(self.auth, self.cli is not None)
            except ManifestError as missing:
                return 4, str(missing)
        if stage >= 7 and self.jobs is None:
            return 7, "[tool.roadmap.jobs] is missing"
        return None

    def require_cli(self) -> Cli:
        if self.cli is None:
            raise ManifestError("the manifest says this project has no CLI (cli = false)")
        return self.cli

    def require_layers(self) -> Layers:
        if self.layers is None:
            raise ManifestError(
                "[tool.roadmap.layers] is missing; from stage 2 it names your layers, for "
                f'example: cli = ["expense_tracker.cli"] ({DOCS_HINT})'
            )
        return self.layers

    def require_api(self) -> Api:
        if self.api is None:
            raise ManifestError(
                "[tool.roadmap.api] is missing; from stage 3 it says how to serve your API, "
                f'for example: app = "expense_tracker.api.main:app" ({DOCS_HINT})'
            )
        if not self.require_layers().api:
            raise ManifestError(
                "[tool.roadmap.layers] api: is missing; from stage 3 it names your API "
                f'modules, for example: api = ["expense_tracker.api"] ({DOCS_HINT})'
            )
        return self.api

    def require_auth(self) -> Auth:
        if self.auth is None:
            raise ManifestError(
                "[tool.roadmap.auth] is missing; from stage 4 it says how users sign up and "
                f'log in, for example: register = "/v1/users" ({DOCS_HINT})'
            )
        return self.auth

    def require_jobs(self) -> Jobs:
        if self.jobs is None:
            raise ManifestError(
                "[tool.roadmap.jobs] is missing; from stage 7 it says how to start a job and "
                f'run your worker, for example: start = "/v1/imports" ({DOCS_HINT})'
            )
        return self.jobs

    @property
    def required_fields(self) -> list[Field]:
        return [field for field in self.fields.values() if field.required]


def load(repo: Path) -> Manifest:
    """Load the manifest of the repository at `repo` (which must hold a pyproject.toml).

    Every problem is a `ManifestError`: a value of a type no key expects, anywhere, is an
    answer for the learner, never a traceback.
    """
    try:
        return _load(repo)
    except (TypeError, AttributeError, ValueError, KeyError) as error:
        raise ManifestError(
            f"[tool.roadmap] holds a value of the wrong kind ({type(error).__name__}: "
            f"{error}); compare it with a freshly generated project ({DOCS_HINT})"
        ) from None


def _load(repo: Path) -> Manifest:
    data = _pyproject(repo)
    tool = data.get("tool", {})
    roadmap = tool.get("roadmap") if isinstance(tool, dict) else None
    if roadmap is not None and not isinstance(roadmap, dict):
        raise ManifestError(
            f"[tool.roadmap] must be a table of keys, not {roadmap!r}; copy the table from a "
            f"freshly generated project ({DOCS_HINT})"
        )
    if not isinstance(roadmap, dict):
        raise ManifestError(
            "pyproject.toml has no [tool.roadmap] table; the starter template writes it, "
            f"copy it from a freshly generated project ({DOCS_HINT})"
        )
    project = data.get("project", {})
    name = project.get("name") if isinstance(project, dict) else None
    root = Table("tool.roadmap", roadmap)
    fields = fields_section.read(root.table("fields"))
    cli = _cli(root)
    manifest = Manifest(
        project=name if isinstance(name, str) and name.strip() else repo.name,
        stage=root.get("stage", int),
        domain=root.get("domain", str),
        record=root.get("record", str),
        id_field=root.get("id_field", str, default="id"),
        fields=fields,
        cli=cli,
        summary=_summary(root.table("summary")) if cli else None,
        invalid=_invalid(root.table("samples")),
        layers=layers_section.read(root.table("layers"), cli is not None)
        if "layers" in root
        else None,
        api=api_section.read(root.table("api"), fields) if "api" in root else None,
        package=project_section.read(repo, data),
        auth=auth_section.read(root.table("auth"), cli is not None) if "auth" in root else None,
        migrations=migrations_section.read(
            root.table("migrations") if "migrations" in root else None
        ),
        database=database_section.read(
            root.table("database") if "database" in root else None, root.get("stage", int)
        ),
        extra_env=environment_section.read(root.table("env") if "env" in root else None),
        quality=quality_section.read(root.table("quality") if "quality" in root else None),
        deploy=deploy_section.read(root.table("deploy") if "deploy" in root else None),
        jobs=jobs_section.read(root.table("jobs"), fields) if "jobs" in root else None,
    )
    _check_references(manifest, root)
    return manifest


def _pyproject(repo: Path) -> dict[str, Any]:
    pyproject = repo / "pyproject.toml"
    try:
        return tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(
            f"{repo} has no pyproject.toml; is this the root of your project?"
        ) from None
    except IsADirectoryError:
        raise ManifestError(f"{pyproject} is a folder, not a file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ManifestError(f"pyproject.toml is not valid TOML: {error}") from None


def _cli(root: Table) -> Cli | None:
    if root.data.get("cli") is False:
        return None
    return cli_section.read(root.table("cli"))


def _invalid(samples: Table) -> dict[str, str]:
    invalid = samples.get("invalid", dict)
    if not invalid:
        raise samples.fail("invalid", "needs at least one field with a value to reject")
    wrong = [k for k, v in invalid.items() if isinstance(v, dict | list)]
    if wrong:
        raise samples.fail("invalid", f"{wrong[0]} must be a single value, not a table or list")
    return {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in invalid.items()}


def _check_references(manifest: Manifest, root: Table) -> None:
    """Keys that name a field must name one that exists, or the checks would guess."""
    known = ", ".join(manifest.fields)
    samples = root.table("samples")
    named = [(samples, "invalid", name) for name in manifest.invalid]
    if manifest.summary:
        summary = root.table("summary")
        named.append((summary, "group_by", manifest.summary.group_by))
        if manifest.summary.field:
            named.append((summary, "field", manifest.summary.field))
    for table, key, name in named:
        if name not in manifest.fields:
            raise table.fail(key, f"names the field {name!r}, but the fields are {known}")
    if manifest.cli:
        for field in manifest.required_fields:
            if not any("{" + field.name + "}" in arg for arg in manifest.cli.add):
                raise root.table("cli").fail("add", f"has no {{{field.name}}} placeholder")


def _summary(table: Table) -> Summary:
    aggregate = table.choice("aggregate", ("sum", "count"))
    return Summary(
        group_by=table.get("group_by", str),
        aggregate=aggregate,
        field=table.get("field", str) if aggregate == "sum" else None,
    )
