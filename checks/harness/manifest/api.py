"""`[tool.roadmap.api]` (stage 3 on): how to serve the learner's app and find its records."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from checks.harness.manifest.fields import Field
from checks.harness.manifest.table import EXAMPLES, Table

# Each pagination style and the roles of its two query parameters, with their usual names.
PAGINATION = {
    "limit-offset": {"limit": "limit", "offset": "offset"},
    "page-size": {"page": "page", "size": "size"},
    "skip-limit": {"skip": "skip", "limit": "limit"},  # FastAPI's tutorial style
}
UPDATE_METHODS = ("PATCH", "PUT")
APP_PATH = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*:[A-Za-z_]\w*(\.[A-Za-z_]\w*)*")
COLLECTION_PATH = re.compile(r"(/[\w.~-]+)+/?")
QUERY_NAME = re.compile(r"[A-Za-z_][\w.\[\]-]*")

EXAMPLES |= {
    "api": 'app = "expense_tracker.api.main:app" under [tool.roadmap.api]',
    "app": 'app = "expense_tracker.api.main:app"',
    "collection": 'collection = "/v1/expenses"',
    "pagination": 'pagination = "limit-offset"',
    "pagination_params": 'pagination_params = { limit = "per_page" }',
    "max_page_size": "max_page_size = 100",
    "update": 'update = "PATCH"',
    "update_fields": 'update_fields = ["category"]',
    "factory": "factory = true",
    "items": 'items = "items"',
    "create": 'create = "/v1/todos/create"',
    "item": 'item = "/v1/todos/todo/{id}"',
}
ITEM_ID = "{id}"


@dataclass(frozen=True)
class Api:
    app: str  # "package.module:attribute", as uvicorn takes it
    collection: str  # "/v1/expenses" or "/bookmarks/": the records' path, prefix included
    pagination: str  # a key of PAGINATION
    update: str  # "PATCH" or "PUT"
    update_fields: tuple[str, ...]  # the fields an update check changes
    factory: bool = False  # `app` names a function that builds the app
    items: str | None = None  # the listing's array key, when it answers with an object
    params: dict[str, str] = field(default_factory=dict)  # pagination role -> query name
    max_page_size: int | None = None  # the largest page the API serves, when it caps it
    create: str | None = None  # where POST makes a record, when not the collection itself
    item: str | None = None  # one record's path, with {id}, when not collection/{id}

    @property
    def create_path(self) -> str:
        return self.create or self.collection

    @property
    def trailing_slash(self) -> bool:
        return self.collection.endswith("/")

    def item_prefix(self) -> str:
        """The collection without its trailing slash: item paths hang below it."""
        return self.collection.rstrip("/")


def read(table: Table, fields: dict[str, Field]) -> Api:
    app = table.get("app", str)
    if not APP_PATH.fullmatch(app):
        raise table.fail("app", f"must be module:attribute, as uvicorn takes it, not {app!r}")
    collection = table.get("collection", str)
    if not COLLECTION_PATH.fullmatch(collection):
        raise table.fail(
            "collection", f"must be a path such as /v1/expenses or /expenses/, not {collection!r}"
        )
    update_fields = tuple(table.get("update_fields", list, default=[_updatable(fields)]))
    for name in update_fields:
        if name not in fields:
            raise table.fail(
                "update_fields", f"names the field {name!r}, but the fields are {', '.join(fields)}"
            )
    pagination = table.choice("pagination", tuple(PAGINATION))
    max_page_size = table.optional("max_page_size", int)
    if max_page_size is not None and max_page_size < 2:
        raise table.fail("max_page_size", f"must be 2 or more, not {max_page_size}")
    return Api(
        app=app,
        collection=collection,
        pagination=pagination,
        update=table.choice("update", UPDATE_METHODS),
        update_fields=update_fields,
        factory=table.get("factory", bool, default=False) is True,
        items=table.optional("items", str),
        params=_params(table, pagination),
        max_page_size=max_page_size,
        create=_optional_path(table, "create"),
        item=_item(table),
    )


def _optional_path(table: Table, key: str) -> str | None:
    path: str | None = table.optional(key, str)
    if path is not None and not COLLECTION_PATH.fullmatch(path.replace(ITEM_ID, "x")):
        raise table.fail(key, f"must be a path such as /v1/todos/create, not {path!r}")
    return path


def _item(table: Table) -> str | None:
    path = _optional_path(table, "item")
    if path is not None and path.count(ITEM_ID) != 1:
        raise table.fail("item", f"must hold the placeholder {ITEM_ID} once, not {path!r}")
    return path


def _params(table: Table, pagination: str) -> dict[str, str]:
    """The query names of the style's roles: the usual names, unless the manifest renames."""
    roles = PAGINATION[pagination]
    renamed = table.table("pagination_params").data if "pagination_params" in table else {}
    for role, name in renamed.items():
        if role not in roles:
            raise table.fail(
                "pagination_params",
                f"{role!r} is not a parameter of {pagination}; it has {', '.join(roles)}",
            )
        if not (isinstance(name, str) and QUERY_NAME.fullmatch(name)):
            raise table.fail("pagination_params", f"{role} must name a query parameter")
    return {**roles, **renamed}


def _updatable(fields: dict[str, Field]) -> str:
    """The default field to change in an update: the first word or text field."""
    words = [f.name for f in fields.values() if f.type in ("word", "text")]
    return (words or list(fields))[0]
