"""Reading a learner's OpenAPI document: validity, paths under any prefix, schemas."""

import pytest

from checks.harness.doors.http import openapi
from checks.harness.manifest import Api


def _api(collection):  # the manifest's [tool.roadmap.api], as the checks see it
    return Api(
        app="m:app",
        collection=collection,
        pagination="limit-offset",
        update="PATCH",
        update_fields=("title",),
    )


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
    paths = openapi.resource_paths(NOTES, _api("/api/v1/notes"))

    assert paths.item == "/api/v1/notes/{note_uuid}"
    assert paths.item_url("a b/c") == "/api/v1/notes/a%20b%2Fc"


def test_a_missing_collection_or_item_path_is_named():
    with pytest.raises(openapi.OpenApiProblem, match=r"no path /v1/notes.*/api/v1/notes"):
        openapi.resource_paths(NOTES, _api("/v1/notes"))
    only_collection = _document({"/notes": {"get": {"responses": {}}}})
    with pytest.raises(openapi.OpenApiProblem, match=r"no item path such as /notes/\{id\}"):
        openapi.resource_paths(only_collection, _api("/notes"))


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


BOOKMARKS = _document(
    {
        "/bookmarks/": {"get": {"responses": {"200": SCHEMA}}},
        "/bookmarks/{bookmark_id}": {"get": {"responses": {"200": SCHEMA}}},
        "/users/": {"get": {"responses": {"200": SCHEMA}}},
    }
)


def test_a_trailing_slash_collection_builds_item_urls_without_a_double_slash():
    paths = openapi.resource_paths(BOOKMARKS, _api("/bookmarks/"))

    assert paths.collection == "/bookmarks/"
    assert paths.item_url(7) == "/bookmarks/7"


def test_a_collection_declared_without_its_slash_is_told_the_exact_fix():
    with pytest.raises(openapi.OpenApiProblem, match='write collection = "/bookmarks/"'):
        openapi.resource_paths(BOOKMARKS, _api("/bookmarks"))


def test_a_missing_route_lists_the_paths_that_share_the_prefix_first():
    many = _document(
        {f"/admin/{n}": {} for n in "abcdefghij"} | {"/api/v1/tags": {}, "/api/v1/notes/x": {}}
    )
    with pytest.raises(openapi.OpenApiProblem) as caught:
        openapi.resource_paths(many, _api("/api/v1/notes"))
    listed = str(caught.value).split("its paths are: ")[1]
    assert listed.startswith("/api/v1/notes/x, /api/v1/tags, /admin/a")
    assert "and 4 more" in listed
