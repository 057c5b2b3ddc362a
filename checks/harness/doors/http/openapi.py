"""Read the learner's OpenAPI document: is it valid, where are the paths, what do they say.

The manifest names the collection (`/v1/expenses`); everything else (the item path and its
parameter, the methods, the response schemas) is discovered here from `/openapi.json`, so
a learner may name things their own way.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from checks.harness.manifest import Api

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
ONE_PARAMETER = re.compile(r"/\{[^/{}]+\}")


class OpenApiProblem(Exception):
    """The document cannot be used; the message says what is wrong in the learner's terms."""


def problems(document: Any) -> str | None:
    """Why `document` is not a valid OpenAPI document, or None when it is."""
    # Imported here: it costs half a second, which every check process of stages 1-2 (and
    # every parallel worker) would otherwise pay at start-up for nothing.
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation.exceptions import (
        OpenAPIValidationError,
        ValidatorDetectError,
    )

    try:
        with _one_line_backend():
            validate(document)
    except ValidatorDetectError:
        return 'it does not say which OpenAPI version it follows ("openapi": "3.1.0")'
    except OpenAPIValidationError as error:
        where = " > ".join(str(part) for part in error.absolute_path) or "the top level"
        first_line = error.message.strip().splitlines()[0] if error.message.strip() else "invalid"
        return f"{first_line} (at {where})"
    return None


@contextmanager
def _one_line_backend() -> Iterator[None]:
    """With jsonschema-rs installed (schemathesis needs it) the validator picks it on its
    own, and its messages run over several lines with the whole document; the jsonschema
    backend says one sentence. The choice is read from the environment when the validator is
    first used; it is put back after, so learner programs started later never see it."""
    name = "OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND"
    before = os.environ.get(name)
    os.environ[name] = "jsonschema"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before


@dataclass(frozen=True)
class Paths:
    """The resource's two paths as the document spells them."""

    collection: str  # "/v1/expenses" or "/bookmarks/"
    item: str  # "/v1/expenses/{expense_id}" (or "/todos/todo/{todo_id}", as declared)

    def item_url(self, record_id: object) -> str:
        """The item path with the id in its one `{parameter}`."""
        return PARAMETER.sub(quote(str(record_id), safe=""), self.item, count=1)


PARAMETER = re.compile(r"\{[^/{}]+\}")


def resource_paths(document: dict[str, Any], config: Api) -> Paths:
    """Find the collection and its item path (the collection + one `{parameter}`, or the
    manifest's `item`, whatever the parameter is called)."""
    paths = document.get("paths") or {}
    collection, prefix = config.collection, config.item_prefix()
    if config.item:
        return Paths(collection, _declared_item(paths, config.item, prefix))
    if collection not in paths:
        other_slash = prefix if config.trailing_slash else collection + "/"
        if other_slash in paths:
            raise OpenApiProblem(
                f"your OpenAPI document has the path {other_slash}, but the manifest's "
                f'api.collection says {collection}: write collection = "{other_slash}"'
            )
        raise OpenApiProblem(
            f"your OpenAPI document has no path {collection} (the manifest's "
            f"api.collection); its paths are: {listed_paths(paths, prefix)}"
        )
    items = [
        p
        for p in paths
        if p.startswith(prefix) and ONE_PARAMETER.fullmatch(p[len(prefix) :].rstrip("/"))
    ]
    if not items:
        raise OpenApiProblem(
            f"your OpenAPI document has no item path such as {prefix}/{{id}}, for one "
            f"record by its id; its paths are: {listed_paths(paths, prefix)}"
        )
    return Paths(collection, items[0])


def _declared_item(paths: dict[str, Any], item: str, prefix: str) -> str:
    """The document's spelling of the manifest's item path (its parameter named anyhow)."""
    wanted = re.escape(item).replace(re.escape("{id}"), r"\{[^/{}]+\}")
    found = [path for path in paths if re.fullmatch(wanted, path)]
    if not found:
        raise OpenApiProblem(
            f"your OpenAPI document has no path like {item} (the manifest's api.item); its "
            f"paths are: {listed_paths(paths, prefix)}"
        )
    return found[0]


def listed_paths(paths: dict[str, Any], prefix: str, limit: int = 8) -> str:
    """Some of the document's paths, those that share the collection's prefix first."""
    stem = prefix.rsplit("/", 1)[0] or prefix
    ranked = sorted(paths, key=lambda p: (not p.startswith(prefix), not p.startswith(stem), p))
    shown = ", ".join(ranked[:limit])
    more = f" and {len(ranked) - limit} more" if len(ranked) > limit else ""
    return (shown + more) or "none"


def operations(document: dict[str, Any], path: str) -> dict[str, dict[str, Any]]:
    """The operations on one path, by lowercase method."""
    declared = (document.get("paths") or {}).get(path) or {}
    return {m: op for m, op in declared.items() if m in METHODS and isinstance(op, dict)}


def success_without_schema(operation: dict[str, Any]) -> str | None:
    """The success status whose JSON body has no schema, or None when all is declared.

    A success answer with no body (204) needs no schema. An empty schema, `{}`, says
    nothing about the body, so it counts as missing: that is what FastAPI writes when a
    route has neither a return type nor a `response_model`.
    """
    responses = operation.get("responses") or {}
    successes = sorted(code for code in responses if str(code).startswith("2"))
    if not successes:
        return "no 2xx"
    for code in successes:
        response = responses[code] or {}
        content = response.get("content") or {}
        if code == "204" and not content:
            continue
        schema = (content.get("application/json") or {}).get("schema")
        if not schema:
            return str(code)
    return None
