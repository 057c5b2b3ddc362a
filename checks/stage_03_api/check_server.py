"""The server starts, and describes its API in a valid OpenAPI document."""

from checks.harness.catalog import check
from checks.harness.doors.http import openapi
from checks.harness.doors.http.fixtures import SharedServer
from checks.harness.doors.http.resource import LearnerApi
from checks.harness.failure import CheckFailed
from checks.harness.transcript import Transcript


@check("server-starts")
def check_server_starts(shared_server: SharedServer, transcript: Transcript) -> None:
    """uvicorn serves your app from the manifest's import path within 15 s.

    Why: an API that does not start from one documented command cannot be deployed,
    tested in CI or tried by a reviewer. uvicorn is the server FastAPI apps run on in
    production too.

    Fix: make sure uvicorn is a dependency of your project (`uvicorn`, or
    `fastapi[standard]`) and that [tool.roadmap.api] app names your FastAPI object as
    "module:attribute", for example "{package}.api.main:app". Run the command below
    yourself: the error it prints is the one the checker saw.
    """
    api = shared_server.api.with_transcript(transcript)
    if shared_server.failure is not None:
        for line in api.storage.setup_lines():
            transcript.set_up(line)
        transcript.add(api.command)  # in the foreground, to see its errors
        raise shared_server.failure
    api.request("GET", "/openapi.json").expect(200, doing="asking the server for anything")


@check("openapi-valid")
def check_openapi_valid(api: LearnerApi) -> None:
    """`/openapi.json` is a valid OpenAPI document that lists your collection and item paths.

    Why: the OpenAPI document is your API's contract. Clients are generated from it, the
    /docs page is drawn from it, and the checker finds your routes in it. An invalid one
    breaks every tool that reads it.

    Fix: FastAPI writes the document from your routes; keep its default /openapi.json.
    If the paths are missing, compare [tool.roadmap.api] collection with the paths
    FastAPI lists at http://127.0.0.1:8000/docs (the router's prefix included), and give
    one record its own path, such as {collection}/{{record_id}}.
    """
    document = api.document()
    problem = openapi.problems(document)
    if problem:
        raise CheckFailed(
            "your /openapi.json is not a valid OpenAPI document",
            ran=api.curl("GET", "/openapi.json"),
            got=problem,
            expected="a document that follows the OpenAPI 3 specification",
            fix="if you customised app.openapi or edit the schema by hand, check that "
            "change against the specification; FastAPI's own document is valid",
        )
    assert api.paths  # finds both paths, or fails naming what is missing


@check("responses-have-schemas")
def check_responses_have_schemas(api: LearnerApi) -> None:
    """Every operation on your resource declares the schema of its success response.

    Why: a declared response schema tells clients exactly what comes back, and makes
    FastAPI filter the answer through it, so a field you did not mean to publish (a
    password hash, in stage 4) cannot leak out.

    Fix: give each route a return type that is a Pydantic model (`-> {Record}Read`) or a
    `response_model=`; a delete that answers 204 needs none.
    """
    document = api.document()
    missing = []
    for path in (api.paths.collection, api.paths.item):
        for method, operation in openapi.operations(document, path).items():
            status = openapi.success_without_schema(operation)
            if status:
                missing.append(f"{method.upper()} {path}: {status} has no JSON schema")
    if missing:
        raise CheckFailed(
            "some operations do not say what they answer",
            ran=api.curl("GET", "/openapi.json"),
            got="\n".join(missing),
            expected="a schema for every success answer that has a body",
        )
