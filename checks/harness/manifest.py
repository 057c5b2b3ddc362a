"""Read and validate the learner's `[tool.roadmap]` manifest.

Every problem becomes one `ManifestError` line that names the key and shows an example,
because the person reading it is a learner who has never seen our code.
See docs/reference/manifest.md for the contract this module enforces.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

FIELD_TYPES = ("decimal", "int", "word", "text", "date", "url")
CLI_ACTIONS = ("add", "list", "show", "delete", "summary")
DOCS_HINT = "see docs/reference/manifest.md"

EXAMPLES = {
    "stage": "stage = 1",
    "domain": 'domain = "expenses"',
    "record": 'record = "expense"',
    "id_field": 'id_field = "id"',
    "fields": 'amount = { type = "decimal", required = true, min = 0.01, max = 10000 }',
    "command": 'command = "expense-tracker"',
    "data_env": 'data_env = "DATA_FILE"',
    "add": 'add = ["add", "--amount", "{amount}", "--category", "{category}"]',
    "list": 'list = ["list", "--json"]',
    "show": 'show = ["show", "{id}", "--json"]',
    "delete": 'delete = ["delete", "{id}"]',
    "summary": 'summary = ["summary", "--json"]',
    "group_by": 'group_by = "category"',
    "aggregate": 'aggregate = "sum"',
    "field": 'field = "amount"',
    "invalid": 'invalid = { amount = "twelve" }',
    "layers": 'cli = ["expense_tracker.cli"] under [tool.roadmap.layers]',
    # keys whose name means something else elsewhere are qualified by their table
    "layers.cli": 'cli = ["expense_tracker.cli"]',
    "layers.services": 'services = ["expense_tracker.services"]',
    "layers.domain": 'domain = ["expense_tracker.models"]',
    "layers.api": 'api = ["expense_tracker.api"]',
    "api": 'app = "expense_tracker.api.main:app" under [tool.roadmap.api]',
    "app": 'app = "expense_tracker.api.main:app"',
    "collection": 'collection = "/v1/expenses"',
    "pagination": 'pagination = "limit-offset"',
    "update": 'update = "PATCH"',
    "update_fields": 'update_fields = ["category"]',
    "factory": "factory = true",
    "items": 'items = "items"',
}
LAYERS = ("cli", "services", "domain")
PAGINATION = ("limit-offset", "page-size")
UPDATE_METHODS = ("PATCH", "PUT")
APP_PATH = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*:[A-Za-z_]\w*(\.[A-Za-z_]\w*)*")
COLLECTION_PATH = re.compile(r"(/[\w.~-]+)+")


class ManifestError(Exception):
    """The manifest cannot drive the checks; the message says which key and how to fix it."""


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool
    min: Decimal | None = None
    max: Decimal | None = None


@dataclass(frozen=True)
class Cli:
    command: str
    data_env: str
    add: tuple[str, ...]
    list: tuple[str, ...]
    show: tuple[str, ...]
    delete: tuple[str, ...]
    summary: tuple[str, ...]


@dataclass(frozen=True)
class Summary:
    group_by: str
    aggregate: str
    field: str | None


@dataclass(frozen=True)
class Layers:
    """Where each layer of the learner's code lives (stage 2 on): lists of module names."""

    cli: tuple[str, ...]
    services: tuple[str, ...]
    domain: tuple[str, ...]
    api: tuple[str, ...] = ()  # from stage 3


@dataclass(frozen=True)
class Api:
    """How to serve and drive the learner's web API (stage 3 on)."""

    app: str  # "package.module:attribute", as uvicorn takes it
    collection: str  # "/v1/expenses": the records' path, prefix included
    pagination: str  # one of PAGINATION
    update: str  # "PATCH" or "PUT"
    update_fields: tuple[str, ...]  # the fields an update check changes
    factory: bool = False  # `app` names a function that builds the app
    items: str | None = None  # the listing's array key, when it answers with an object


@dataclass(frozen=True)
class Manifest:
    project: str
    stage: int
    domain: str
    record: str
    id_field: str
    fields: dict[str, Field]
    cli: Cli
    summary: Summary
    invalid: dict[str, str]
    layers: Layers | None = None  # required from stage 2; see `require_for`
    api: Api | None = None  # required from stage 3

    def require_for(self, stage: int) -> None:
        """Fail with the missing table's name if the manifest cannot drive `stage`."""
        if stage >= 2:
            self.require_layers()
        if stage >= 3:
            self.require_api()

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

    @property
    def required_fields(self) -> list[Field]:
        return [field for field in self.fields.values() if field.required]


class _Table:
    """A TOML table that knows its own name, so errors can point at the exact key."""

    def __init__(self, name: str, data: dict[str, Any]) -> None:
        self.name, self.data = name, data

    def _fail(self, key: str, problem: str) -> ManifestError:
        table = self.name.rsplit(".", 1)[-1]
        example = EXAMPLES.get(f"{table}.{key}") or EXAMPLES.get(key, "")
        hint = f"; for example: {example}" if example else ""
        return ManifestError(f"[{self.name}] {key}: {problem}{hint} ({DOCS_HINT})")

    def get(self, key: str, kind: type, default: Any = None) -> Any:
        if key not in self.data:
            if default is not None:
                return default
            raise self._fail(key, "is missing")
        value = self.data[key]
        if kind is str and not (isinstance(value, str) and value.strip()):
            raise self._fail(key, f"must be a non-empty string, not {value!r}")
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise self._fail(key, f"must be a whole number, not {value!r}")
        if kind is list and not (
            isinstance(value, list) and value and all(isinstance(v, str) for v in value)
        ):
            raise self._fail(key, f"must be a non-empty list of strings, not {value!r}")
        if kind is dict and not isinstance(value, dict):
            raise self._fail(key, f"must be a table, not {value!r}")
        return value

    def table(self, key: str) -> _Table:
        return _Table(f"{self.name}.{key}", self.get(key, dict))

    def choice(self, key: str, choices: tuple[str, ...]) -> str:
        value: str = self.get(key, str)
        if value not in choices:
            raise self._fail(key, f"must be one of {', '.join(choices)}, not {value!r}")
        return value

    def number(self, key: str) -> Decimal | None:
        if key not in self.data:
            return None
        try:
            return Decimal(str(self.data[key]))
        except InvalidOperation:
            raise self._fail(key, f"must be a number, not {self.data[key]!r}") from None


def load(repo: Path) -> Manifest:
    """Load the manifest of the repository at `repo` (which must hold a pyproject.toml)."""
    pyproject = repo / "pyproject.toml"
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(
            f"{repo} has no pyproject.toml; is this the root of your project?"
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ManifestError(f"pyproject.toml is not valid TOML: {error}") from None
    roadmap = data.get("tool", {}).get("roadmap")
    if not isinstance(roadmap, dict):
        raise ManifestError(
            "pyproject.toml has no [tool.roadmap] table; the starter template writes it, "
            f"copy it from a freshly generated project ({DOCS_HINT})"
        )
    project = data.get("project", {}).get("name")
    root = _Table("tool.roadmap", roadmap)
    loaded = Manifest(
        project=project if isinstance(project, str) else repo.name,
        stage=root.get("stage", int),
        domain=root.get("domain", str),
        record=root.get("record", str),
        id_field=root.get("id_field", str, default="id"),
        fields=_fields(root.table("fields")),
        cli=_cli(root.table("cli")),
        summary=_summary(root.table("summary")),
        invalid={k: str(v) for k, v in root.table("samples").get("invalid", dict).items()},
        layers=_layers(root.table("layers")) if "layers" in roadmap else None,
    )
    if "api" in roadmap:
        loaded = _with_api(loaded, root.table("api"))
    _check_references(loaded, root)
    return loaded


def _check_references(manifest: Manifest, root: _Table) -> None:
    """Keys that name a field must name one that exists, or the checks would guess."""
    known = ", ".join(manifest.fields)
    summary, samples = root.table("summary"), root.table("samples")
    named = [(summary, "group_by", manifest.summary.group_by)]
    if manifest.summary.field:
        named.append((summary, "field", manifest.summary.field))
    named += [(samples, "invalid", name) for name in manifest.invalid]
    for table, key, name in named:
        if name not in manifest.fields:
            raise table._fail(key, f"names the field {name!r}, but the fields are {known}")
    if not manifest.invalid:
        raise samples._fail("invalid", "needs at least one field with a value to reject")
    for field in manifest.required_fields:
        if not any("{" + field.name + "}" in arg for arg in manifest.cli.add):
            raise root.table("cli")._fail("add", f"has no {{{field.name}}} placeholder")


def _fields(table: _Table) -> dict[str, Field]:
    if not table.data:
        raise table._fail("fields", "needs at least one field")
    fields = {}
    for name in table.data:
        spec = table.table(name)
        fields[name] = Field(
            name=name,
            type=spec.choice("type", FIELD_TYPES),
            required=bool(spec.data.get("required", True)),
            min=spec.number("min"),
            max=spec.number("max"),
        )
    return fields


def _cli(table: _Table) -> Cli:
    args = {action: tuple(table.get(action, list)) for action in CLI_ACTIONS}
    for action in ("show", "delete"):
        if not any("{id}" in arg for arg in args[action]):
            raise table._fail(action, "must contain the placeholder {id}")
    return Cli(
        command=table.get("command", str),
        data_env=table.get("data_env", str, default="DATA_FILE"),
        **args,
    )


def _layers(table: _Table) -> Layers:
    layers = {layer: tuple(table.get(layer, list)) for layer in LAYERS}
    api = tuple(table.get("api", list)) if "api" in table.data else ()
    return Layers(**layers, api=api)


def _with_api(manifest: Manifest, table: _Table) -> Manifest:
    app = table.get("app", str)
    if not APP_PATH.fullmatch(app):
        raise table._fail("app", f"must be module:attribute, as uvicorn takes it, not {app!r}")
    collection = table.get("collection", str)
    if not COLLECTION_PATH.fullmatch(collection):
        raise table._fail(
            "collection",
            f"must be a path such as /v1/expenses, with no trailing /, not {collection!r}",
        )
    update_fields = tuple(table.get("update_fields", list, default=[_updatable(manifest)]))
    for name in update_fields:
        if name not in manifest.fields:
            known = ", ".join(manifest.fields)
            raise table._fail(
                "update_fields", f"names the field {name!r}, but the fields are {known}"
            )
    factory = table.data.get("factory", False)
    if not isinstance(factory, bool):
        raise table._fail("factory", f"must be true or false, not {factory!r}")
    items = table.get("items", str) if "items" in table.data else None
    api = Api(
        app=app,
        collection=collection,
        pagination=table.choice("pagination", PAGINATION),
        update=table.choice("update", UPDATE_METHODS),
        update_fields=update_fields,
        factory=factory,
        items=items,
    )
    return replace(manifest, api=api)


def _updatable(manifest: Manifest) -> str:
    """The default field to change in an update: the first word or text field."""
    words = [f.name for f in manifest.fields.values() if f.type in ("word", "text")]
    return (words or list(manifest.fields))[0]


def _summary(table: _Table) -> Summary:
    aggregate = table.choice("aggregate", ("sum", "count"))
    return Summary(
        group_by=table.get("group_by", str),
        aggregate=aggregate,
        field=table.get("field", str) if aggregate == "sum" else None,
    )
