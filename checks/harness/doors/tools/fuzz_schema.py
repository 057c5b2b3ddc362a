"""The learner's OpenAPI document, tightened with what the checker knows, before fuzzing.

A fuzzer only knows what the document says. FastAPI's documents say too little in a few
ways, each measured against the course's own planted bugs:

- **Logins.** FastAPI declares `OAuth2PasswordBearer` as an `oauth2` scheme, which
  schemathesis' `ignored_auth` check does not know how to leave out of a request: a
  planted route that ignores the token was found 0 times in 2 until the scheme was
  declared as what it is on the wire, an HTTP bearer token (then 2 in 2). A record route
  that forgot its login declares no security at all; the manifest says records belong to
  users (stage 4), so the record routes and `me` are declared as needing one.
- **Bodies.** A field FastAPI documents as "a number or a string" (a Decimal), or any
  string, makes the fuzzer send mostly bodies the app rightly refuses with 422, so a bug
  behind a valid body was found 0 times in 7; with the manifest's field types (a number
  in cents; a word as a word) it was found 5 times in 5. A number's bounds are the
  manifest's widened to the document's own: a document without a maximum promises to
  handle any amount, and the stage-5 mutant that dropped its maximum (a NUMERIC column
  that overflows past it) was found 0 times in 1 with the manifest's maximum, 1 in 1 with
  none. Only the copies inside the record routes' request bodies are tightened: the
  answers keep the schemas the learner declared, which is what
  `fuzz-responses-match-schema` holds them to.
- **Forms.** A form cannot carry `null`, and FastAPI reads an empty form field as a missing
  one: the login form's name and password are never empty, and no form field is offered
  `null` (422s no learner can avoid: the form is FastAPI's own).
- **Big numbers.** A number the document leaves without a maximum is probed first with
  the values just past a 32- and a 64-bit column (`_probe_past_the_columns`): the
  stage-5 mutant whose `?offset=` has no bound was found 0 times in 1 by random draws in
  30 s.
- **Order.** The records' routes come first (see `_put_first`).
- Nothing else changes: query parameters, other routes and every answer are as declared.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from checks.harness.doors.http.openapi import METHODS, OpenApiProblem, resource_paths
from checks.harness.doors.tools import fuzz_numbers as numbers
from checks.harness.manifest import Field, Manifest

BEARER = {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
BEARER_NAME = "BearerToken"  # the scheme the checker adds when the document declares none
CENT = Decimal("0.01")
WORD = r"^[a-z0-9][a-z0-9_-]*$"  # "food", "eating-out": what the checker itself sends
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"  # text: any characters but control characters
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
WORD_LENGTH, TEXT_LENGTH = 40, 200  # when the learner declared no bound of their own


@dataclass
class Tightened:
    document: dict[str, Any]
    changes: list[str] = field(default_factory=list)  # what was changed, for the run notes


def tighten(document: dict[str, Any], manifest: Manifest) -> Tightened:
    """A copy of `document` the fuzzer can use well (the learner's own is left alone)."""
    result = Tightened(copy.deepcopy(document))
    schemes = _bearer_schemes(result)
    record_paths = _record_paths(result.document, manifest)
    if manifest.auth is not None:
        _require_login(result, [*record_paths, manifest.auth.me], schemes)
    first = [*record_paths, *([manifest.auth.me] if manifest.auth else [])]
    _put_first(result.document, first)
    for path in record_paths:
        for method, operation in _operations(result.document, path):
            if method in ("post", "put", "patch"):
                where = f"{method.upper()} {path}"
                _tighten_body(
                    result,
                    operation,
                    where,
                    lambda name, declared: (
                        _field_schema(manifest.fields[name], declared)
                        if name in manifest.fields
                        else None
                    ),
                )
    for path in list(result.document.get("paths") or {}):
        for method, operation in _operations(result.document, path):
            _tighten_body(result, operation, f"{method.upper()} {path}", _no_null, FORMS)
            _probe_past_the_columns(result, operation, f"{method.upper()} {path}")
    if manifest.auth is not None:
        login = {manifest.auth.login_field, "username", manifest.auth.password_field}
        for method, operation in _operations(result.document, manifest.auth.token):
            if method == "post":
                _tighten_body(
                    result,
                    operation,
                    f"POST {manifest.auth.token}",
                    lambda name, declared: _non_empty(declared) if name in login else None,
                )
    return result


def _bearer_schemes(result: Tightened) -> list[str]:
    """Declare every OAuth2 scheme as the bearer token it is on the wire; their names."""
    components = result.document.setdefault("components", {})
    schemes: dict[str, Any] = components.setdefault("securitySchemes", {})
    for name, scheme in list(schemes.items()):
        if isinstance(scheme, dict) and scheme.get("type") in ("oauth2", "openIdConnect"):
            schemes[name] = dict(BEARER)
            result.changes.append(f"the {scheme['type']} scheme {name} as an HTTP bearer token")
    return [
        name
        for name, scheme in schemes.items()
        if isinstance(scheme, dict)
        and scheme.get("type") == "http"
        and scheme.get("scheme") in ("bearer", "Bearer")
    ]


def _record_paths(document: dict[str, Any], manifest: Manifest) -> list[str]:
    """The paths of the manifest's records, as the document spells them (none when the
    document does not have them: the stage-3 checks say so)."""
    if manifest.api is None:
        return []
    try:
        found = resource_paths(document, manifest.api)
    except OpenApiProblem:
        return []
    paths = document.get("paths") or {}
    wanted = [found.collection, manifest.api.create_path, found.item]
    return [path for path in dict.fromkeys(wanted) if path in paths]


def _probe_past_the_columns(result: Tightened, operation: dict[str, Any], where: str) -> None:
    """A number without a maximum in the query or the path is tried past the columns
    first (fuzz_numbers.py)."""
    named = []
    for parameter in operation.get("parameters") or []:
        schema = parameter.get("schema") if isinstance(parameter, dict) else None
        if isinstance(schema, dict) and numbers.unbounded(schema):
            parameter["schema"] = numbers.probed(schema)
            named.append(str(parameter.get("name")))
    if named:
        result.changes.append(f"{where}: {', '.join(named)} probed past 2^31 and 2^63")


def _put_first(document: dict[str, Any], first: list[str]) -> None:
    """The records' routes first: the fuzzer takes routes in the document's order and
    shares its time box among them as it goes, and a route that hashes a password (sign-up,
    log-in) can take seconds a request on a busy machine; it comes last, and whatever it
    overruns is the box's end, not the records' share."""
    paths = document.get("paths") or {}
    ordered = {path: paths[path] for path in first if path in paths}
    document["paths"] = {**ordered, **{k: v for k, v in paths.items() if k not in ordered}}


def _operations(document: dict[str, Any], path: str) -> list[tuple[str, dict[str, Any]]]:
    declared = (document.get("paths") or {}).get(path) or {}
    return [(m, op) for m, op in declared.items() if m in METHODS and isinstance(op, dict)]


def _require_login(result: Tightened, paths: list[str], schemes: list[str]) -> None:
    """Routes that must have a login declare one (a route that forgot its login
    dependency declares none, and then no fuzzer asks whether it needs one)."""
    if not schemes:
        components = result.document["components"]
        components["securitySchemes"][BEARER_NAME] = dict(BEARER)
        schemes = [BEARER_NAME]
    for path in paths:
        for method, operation in _operations(result.document, path):
            if not operation.get("security"):
                operation["security"] = [{schemes[0]: []}]
                result.changes.append(f"{method.upper()} {path} as needing a login")


def _tighten_body(
    result: Tightened,
    operation: dict[str, Any],
    where: str,
    tighter: Callable[[str, dict[str, Any]], dict[str, Any] | None],
    media_types: tuple[str, ...] = (),
) -> None:
    """Replace the body's properties that `tighter` has a schema for, in a copy of the
    body's schema (a component the answers share is left as declared); only in bodies of
    `media_types`, when given."""
    content = (operation.get("requestBody") or {}).get("content") or {}
    for media_type, media in content.items():
        if media_types and media_type not in media_types:
            continue
        if not isinstance(media, dict) or not isinstance(media.get("schema"), dict):
            continue
        body = copy.deepcopy(_resolved(result.document, media["schema"]))
        properties = body.get("properties") if isinstance(body, dict) else None
        if not isinstance(properties, dict):
            continue
        tightened = []
        for name, declared in properties.items():
            tight = tighter(name, _resolved(result.document, declared))
            if tight is not None:
                properties[name] = tight
                tightened.append(name)
        if tightened:
            media["schema"] = body
            result.changes.append(f"{where}: {', '.join(tightened)} tightened")


def _resolved(document: dict[str, Any], schema: dict[str, Any]) -> Any:
    """A local `$ref` (#/components/schemas/X) followed, once or more."""
    seen = 0
    while isinstance(schema, dict) and "$ref" in schema and seen < 10:
        ref = schema["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#/"):
            return schema
        target: Any = document
        for part in ref[2:].split("/"):
            target = target.get(part) if isinstance(target, dict) else None
        if not isinstance(target, dict):
            return schema
        schema, seen = target, seen + 1
    return schema


def _field_schema(spec: Field, declared: dict[str, Any]) -> dict[str, Any]:
    """What a valid value of the field is, by the manifest's type; `null` stays allowed
    where the learner allowed it (an optional field of an update)."""
    tight: dict[str, Any]
    if spec.type in ("decimal", "int"):
        tight = {"type": "number" if spec.type == "decimal" else "integer"}
        if spec.type == "decimal":
            tight["multipleOf"] = float(CENT)  # the checker's own values are in cents
        tight |= numbers.bounds(spec, declared)
        if numbers.unbounded(tight):
            tight = numbers.probed(tight)
    elif spec.type == "word":
        tight = {"type": "string", "pattern": WORD, "minLength": 1}
        tight["maxLength"] = _length(declared, WORD_LENGTH)
    elif spec.type == "text":
        tight = {
            "type": "string",
            "pattern": PRINTABLE,
            "maxLength": _length(declared, TEXT_LENGTH),
        }
    elif spec.type == "date":
        tight = {"type": "string", "format": "date"}
    else:  # url
        tight = {"type": "string", "format": "uri", "pattern": "^https?://[a-z0-9.-]+/"}
    return {"anyOf": [tight, {"type": "null"}]} if _nullable(declared) else tight


def _no_null(name: str, declared: dict[str, Any]) -> dict[str, Any] | None:
    """A form field without its `null` alternative: a form has no null, only the text
    "null", which FastAPI's OAuth2 form refuses as a `grant_type` (a 422 no learner can
    avoid)."""
    branches = declared.get("anyOf")
    if not isinstance(branches, list) or not _nullable(declared):
        return None
    kept = [b for b in branches if not (isinstance(b, dict) and b.get("type") == "null")]
    rest = {k: v for k, v in declared.items() if k != "anyOf"}
    return {**rest, **kept[0]} if len(kept) == 1 else {**rest, "anyOf": kept}


def _non_empty(declared: dict[str, Any]) -> dict[str, Any]:
    """A login's name or password: what it was, but never empty (an empty form field is
    a missing one to FastAPI, and a login without either is not a valid request)."""
    return {**declared, "minLength": max(1, int(declared.get("minLength") or 0))}


def _length(declared: dict[str, Any], default: int) -> int:
    """The learner's own maximum length (on the field or its non-null branch), else ours."""
    for schema in [declared, *(declared.get("anyOf") or []), *(declared.get("oneOf") or [])]:
        if isinstance(schema, dict) and isinstance(schema.get("maxLength"), int):
            return int(schema["maxLength"])
    return default


def _nullable(declared: dict[str, Any]) -> bool:
    kinds = declared.get("type")
    if declared.get("nullable") is True or kinds == "null":
        return True
    if isinstance(kinds, list) and "null" in kinds:
        return True
    branches = [*(declared.get("anyOf") or []), *(declared.get("oneOf") or [])]
    return any(isinstance(b, dict) and b.get("type") == "null" for b in branches)
