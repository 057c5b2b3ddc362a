"""Reading a learner's OpenAPI document: validity, paths under any prefix, schemas."""

import pytest

from checks.harness import openapi

SCHEMA = {"description": "a note", "content": {"application/json": {"schema": {"type": "object"}}}}


UUID = {"name": "note_uuid", "in": "path", "required": True, "schema": {"type": "string"}}
GONE = {"204": {"description": "deleted"}}


def _document(paths):
    return {"openapi": "3.1.0", "info": {"title": "notes", "version": "1"}, "paths": paths}


NOTES = _document(
    {
        "/api/v1/notes": {"get": {"responses": {"200": SCHEMA}}},
        "/api/v1/notes/{note_uuid}": {"delete": {"parameters": [UUID], "responses": GONE}},
        "/api/v1/notes/{note_uuid}/tags/{tag}": {},
    }
)


def test_a_valid_document_has_no_problems():
    assert openapi.problems(NOTES) is None


@pytest.mark.parametrize(
    ("document", "says"),
    [
        ({"openapi": "3.1.0", "paths": {}}, "'info' is a required property (at the top level)"),
        ({"paths": {}}, "does not say which OpenAPI version"),
        (_document({"/x": {"get": {"responses": "none"}}}), "(at paths > /x > get > responses)"),
    ],
)
def test_an_invalid_document_is_described_in_one_line(document, says):
    assert says in openapi.problems(document)


def test_the_item_path_is_found_under_any_prefix_whatever_its_parameter_is_called():
    paths = openapi.resource_paths(NOTES, "/api/v1/notes")

    assert paths.item == "/api/v1/notes/{note_uuid}"
    assert paths.item_url("a b/c") == "/api/v1/notes/a%20b%2Fc"


def test_a_missing_collection_or_item_path_is_named():
    with pytest.raises(openapi.OpenApiProblem, match=r"no path /v1/notes.*/api/v1/notes"):
        openapi.resource_paths(NOTES, "/v1/notes")
    only_collection = _document({"/notes": {"get": {"responses": {}}}})
    with pytest.raises(openapi.OpenApiProblem, match=r"no item path such as /notes/\{id\}"):
        openapi.resource_paths(only_collection, "/notes")


@pytest.mark.parametrize(
    ("responses", "missing"),
    [
        ({"200": SCHEMA, "422": {}}, None),
        ({"204": {"description": "deleted"}}, None),
        ({"201": {"content": {"application/json": {"schema": {}}}}}, "201"),
        ({"200": {"description": "no content declared"}}, "200"),
        ({"422": SCHEMA}, "no 2xx"),
    ],
)
def test_a_success_answer_without_a_schema_is_reported(responses, missing):
    assert openapi.success_without_schema({"responses": responses}) == missing
