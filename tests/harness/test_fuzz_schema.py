"""The document the fuzzer reads: the learner's, tightened with what the manifest knows."""

import copy

import pytest

from checks.harness import manifest
from checks.harness.doors.tools.fuzz_schema import BEARER, BEARER_NAME, tighten
from tests.harness.test_manifest import AUTH, GOOD

API = """
[tool.roadmap.api]
app = "expense_tracker.api.main:app"
collection = "/v1/expenses"
pagination = "limit-offset"
update = "PATCH"
"""
OAUTH2 = {"type": "oauth2", "flows": {"password": {"scopes": {}, "tokenUrl": "/v1/auth/token"}}}
LOGGED_IN = [{"OAuth2PasswordBearer": []}]
# As FastAPI writes a Decimal, a str, and an optional str of an update.
CREATE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["amount", "category"],
    "properties": {
        "amount": {"anyOf": [{"type": "number"}, {"type": "string"}], "title": "Amount"},
        "category": {"type": "string", "title": "Category"},
        "note": {"type": "string", "maxLength": 500, "default": ""},
    },
}
UPDATE = {
    "type": "object",
    "properties": {"category": {"anyOf": [{"type": "string"}, {"type": "null"}]}},
}
READ = {"type": "object", "properties": {"amount": {"type": "string"}}}
LOGIN_FORM = {  # as FastAPI writes OAuth2PasswordRequestForm
    "type": "object",
    "required": ["username", "password"],
    "properties": {
        "grant_type": {"anyOf": [{"type": "string", "pattern": "^password$"}, {"type": "null"}]},
        "username": {"type": "string"},
        "password": {"type": "string"},
    },
}


def _body(ref, media="application/json"):
    return {"required": True, "content": {media: {"schema": {"$ref": ref}}}}


def _ok(ref):
    return {
        "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": ref}}}}
    }


DOCUMENT = {
    "openapi": "3.1.0",
    "info": {"title": "expenses", "version": "1"},
    "paths": {
        "/v1/expenses": {
            "post": {
                "security": LOGGED_IN,
                "requestBody": _body("#/components/schemas/ExpenseCreate"),
                "responses": _ok("#/components/schemas/ExpenseCreate"),
            },
            "get": {"responses": _ok("#/components/schemas/ExpenseRead")},  # forgot its login
        },
        "/v1/expenses/{expense_id}": {
            "patch": {
                "security": LOGGED_IN,
                "requestBody": _body("#/components/schemas/ExpenseUpdate"),
                "responses": _ok("#/components/schemas/ExpenseRead"),
            },
        },
        "/v1/auth/token": {
            "post": {
                "requestBody": _body(
                    "#/components/schemas/Login", "application/x-www-form-urlencoded"
                ),
                "responses": {"200": {"description": "a token"}},
            }
        },
        "/v1/users/me": {"get": {"responses": {"200": {"description": "you"}}}},
        "/v1/health": {"get": {"responses": {"200": {"description": "up"}}}},
    },
    "components": {
        "schemas": {
            "ExpenseCreate": CREATE,
            "ExpenseUpdate": UPDATE,
            "ExpenseRead": READ,
            "Login": LOGIN_FORM,
        },
        "securitySchemes": {"OAuth2PasswordBearer": OAUTH2},
    },
}


@pytest.fixture
def expenses(tmp_path):
    (tmp_path / "pyproject.toml").write_text(GOOD + API + AUTH)
    return manifest.load(tmp_path)


def _request_schema(document, path, method, media="application/json"):
    return document["paths"][path][method]["requestBody"]["content"][media]["schema"]


def test_the_oauth2_scheme_is_declared_as_the_bearer_token_it_is_on_the_wire(expenses):
    tightened = tighten(DOCUMENT, expenses).document

    assert tightened["components"]["securitySchemes"] == {"OAuth2PasswordBearer": BEARER}
    assert DOCUMENT["components"]["securitySchemes"]["OAuth2PasswordBearer"] == OAUTH2  # a copy


def test_record_routes_and_me_need_a_login_even_where_the_document_forgot_one(expenses):
    paths = tighten(DOCUMENT, expenses).document["paths"]

    assert paths["/v1/expenses"]["get"]["security"] == LOGGED_IN  # the forgotten one
    assert paths["/v1/users/me"]["get"]["security"] == LOGGED_IN
    assert "security" not in paths["/v1/health"]["get"]  # not the manifest's to say
    assert "security" not in paths["/v1/auth/token"]["post"]


def test_a_document_without_a_scheme_gets_a_bearer_scheme_for_the_routes_that_need_one(
    expenses,
):
    bare = copy.deepcopy(DOCUMENT)
    del bare["components"]["securitySchemes"]
    for operation in bare["paths"]["/v1/expenses"].values():
        operation.pop("security", None)

    tightened = tighten(bare, expenses).document

    assert tightened["components"]["securitySchemes"] == {BEARER_NAME: BEARER}
    assert tightened["paths"]["/v1/expenses"]["post"]["security"] == [{BEARER_NAME: []}]


def test_record_bodies_take_the_manifests_field_types(expenses):
    body = _request_schema(tighten(DOCUMENT, expenses).document, "/v1/expenses", "post")

    # "A number or a string" with no bounds: a number in cents, as big as the document
    # allows, tried first past what a database column holds.
    assert body["properties"]["amount"] == {
        "type": "number",
        "multipleOf": 0.01,
        "examples": [2**31, 2**63],
    }
    assert body["properties"]["category"]["pattern"] == "^[a-z0-9][a-z0-9_-]*$"
    assert body["properties"]["note"]["maxLength"] == 500  # the learner's own bound is kept
    assert "\\x00" in body["properties"]["note"]["pattern"]  # no control characters
    assert body["required"] == ["amount", "category"] and body["additionalProperties"] is False


def test_an_optional_field_of_an_update_stays_optional(expenses):
    body = _request_schema(
        tighten(DOCUMENT, expenses).document, "/v1/expenses/{expense_id}", "patch"
    )

    category = body["properties"]["category"]
    assert category["anyOf"][1] == {"type": "null"}
    assert category["anyOf"][0]["type"] == "string"


def test_answers_keep_the_schemas_the_learner_declared(expenses):
    tightened = tighten(DOCUMENT, expenses).document

    assert tightened["components"]["schemas"] == DOCUMENT["components"]["schemas"]
    answer = tightened["paths"]["/v1/expenses"]["post"]["responses"]["200"]
    assert answer["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ExpenseCreate"
    }


def test_the_login_form_never_sends_an_empty_name_or_password(expenses):
    form = _request_schema(
        tighten(DOCUMENT, expenses).document,
        "/v1/auth/token",
        "post",
        "application/x-www-form-urlencoded",
    )

    assert form["properties"]["username"] == {"type": "string", "minLength": 1}
    assert form["properties"]["password"] == {"type": "string", "minLength": 1}
    # A form has no null: the text "null" would only be refused.
    assert form["properties"]["grant_type"] == {"type": "string", "pattern": "^password$"}


def test_each_change_is_listed_for_the_run_notes(expenses):
    changes = tighten(DOCUMENT, expenses).changes

    assert "the oauth2 scheme OAuth2PasswordBearer as an HTTP bearer token" in changes
    assert "GET /v1/expenses as needing a login" in changes
    assert "POST /v1/expenses: amount, category, note tightened" in changes


def test_a_document_without_the_records_paths_is_left_to_the_stage_3_checks(expenses):
    elsewhere = copy.deepcopy(DOCUMENT)
    elsewhere["paths"] = {"/other": elsewhere["paths"].pop("/v1/expenses")}

    tightened = tighten(elsewhere, expenses).document

    assert (
        tightened["paths"]["/other"]["post"]["requestBody"]
        == DOCUMENT["paths"]["/v1/expenses"]["post"]["requestBody"]
    )


def test_the_records_routes_come_first_and_the_password_routes_after_them(expenses):
    document = copy.deepcopy(DOCUMENT)
    document["paths"] = dict(reversed(document["paths"].items()))

    paths = list(tighten(document, expenses).document["paths"])

    assert paths[:3] == ["/v1/expenses", "/v1/expenses/{expense_id}", "/v1/users/me"]
    assert set(paths[3:]) == {"/v1/auth/token", "/v1/health"}


def _amount(declared, expenses):
    document = copy.deepcopy(DOCUMENT)
    document["components"]["schemas"]["ExpenseCreate"]["properties"]["amount"] = declared
    body = _request_schema(tighten(document, expenses).document, "/v1/expenses", "post")
    return {k: v for k, v in body["properties"]["amount"].items() if "imum" in k}


@pytest.mark.parametrize(
    ("declared", "bounds"),
    [
        # A document that says nothing about numbers: the manifest's bounds (0.01 to 10000).
        ({"type": "string"}, {"minimum": 0.01, "maximum": 10000}),
        # The document's own, where it admits more: no maximum is no maximum.
        ({"type": "number", "exclusiveMinimum": 0}, {"exclusiveMinimum": 0}),
        ({"type": "number", "minimum": 0, "maximum": 99999}, {"minimum": 0, "maximum": 99999}),
        # The manifest's, where the document admits less: what the checker itself sends.
        ({"type": "number", "minimum": 1, "maximum": 500}, {"minimum": 0.01, "maximum": 10000}),
    ],
)
def test_a_numbers_bounds_are_the_widest_of_the_manifests_and_the_documents(
    expenses, declared, bounds
):
    assert _amount(declared, expenses) == bounds


def test_a_number_without_a_maximum_is_tried_past_what_a_column_holds(expenses):
    document = copy.deepcopy(DOCUMENT)
    offset = {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0}}
    limit = {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}}
    document["paths"]["/v1/expenses"]["get"]["parameters"] = [offset, limit]

    tightened = tighten(document, expenses)

    parameters = tightened.document["paths"]["/v1/expenses"]["get"]["parameters"]
    assert parameters[0]["schema"]["examples"] == [2**31, 2**63]
    assert "examples" not in parameters[1]["schema"]  # bounded: nothing to probe
    assert "GET /v1/expenses: offset probed past 2^31 and 2^63" in tightened.changes
    assert "examples" not in offset["schema"]  # the learner's document is left as it was
