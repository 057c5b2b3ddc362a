"""Bad requests get a clear 4xx answer: 422, 404 or 405, and never a 500."""

import json
from typing import Any

from checks.harness.catalog import check
from checks.harness.doors.http import openapi
from checks.harness.doors.http.client import Answer
from checks.harness.doors.http.resource import LearnerApi, unknown_id
from checks.harness.failure import a
from checks.harness.values import ValueMaker

# Methods to try where a path does not declare them; the first one missing is used.
UNUSED_METHODS = {"collection": ("put", "delete", "patch"), "item": ("post", "put", "patch")}


@check("invalid-body-422")
def check_invalid_body_422(api: LearnerApi, values: ValueMaker) -> None:
    """An invalid body is refused with 422, and the answer names the field.

    Why: validating at the boundary keeps bad data out of your database, and naming the
    field tells the client's developer what to fix without reading your code.

    Fix: declare the request body as a Pydantic model whose fields carry your rules
    (types, bounds, validators); FastAPI then answers 422 with each bad field's name in
    `detail`. Turn a domain ValidationError raised by a service into 422 as well.
    """
    fields = api.manifest.fields
    bad = {**values.record(fields), **api.manifest.invalid}
    _refused(api, api.create(bad), list(api.manifest.invalid), "an invalid value")
    required = api.manifest.required_fields[0].name
    missing = {k: v for k, v in values.record(fields).items() if k != required}
    _refused(api, api.create(missing), [required], f"no {required}")


def _refused(api: LearnerApi, answer: Answer, names: list[str], what: str) -> None:
    answer.expect(
        422,
        doing=f"creating {a(api.manifest.record)} with {what}",
        fix="declare the body as a Pydantic model so FastAPI validates it, and map your "
        "domain's validation error to 422",
    )
    detail = json.dumps(answer.json())
    if not any(name in detail for name in names):
        raise answer.failure(
            "the 422 answer does not name the field that was wrong",
            expected=f"the field name {' or '.join(names)} in the body, e.g. "
            f'{{"detail": [{{"loc": ["body", "{names[0]}"], "msg": "..."}}]}}',
        )


@check("unknown-id-404")
def check_unknown_id_404(api: LearnerApi, values: ValueMaker) -> None:
    """An unknown id answers 404 with a JSON error body, for GET, update and DELETE.

    Why: 404 lets a client tell "it is not there" from "you sent something wrong" (4xx)
    and "the server broke" (5xx). A JSON body keeps every answer parseable the same way.

    Fix: raise a domain error such as NotFoundError in the service and turn it into 404
    in one exception handler (`app.add_exception_handler`), or raise
    HTTPException(status_code=404) in the route.
    """
    created = api.create_ok(values.record(api.manifest.fields))
    missing = unknown_id(api.id_of(created), values.token())
    changes = {name: values.value(api.manifest.fields[name]) for name in api.config.update_fields}
    answers = [
        api.get(missing),
        api.update({**created, api.manifest.id_field: missing}, changes),
        api.delete(missing),
    ]
    for answer in answers:
        answer.expect(404, doing=f"asking for {a(api.manifest.record)} that does not exist")
        if not isinstance(answer.json(), dict):
            raise answer.failure(
                "the 404 answer is JSON, but not an object",
                expected='a JSON object such as {"detail": "no '
                + f'{api.manifest.record} with id 7"}}',
            )


@check("wrong-method-405")
def check_wrong_method_405(api: LearnerApi) -> None:
    """A method the path does not support answers 405.

    Why: 405 Method Not Allowed (with an Allow header) tells a client it has the right
    address but the wrong verb; a 404 or 400 there sends them looking for a bug that
    does not exist.

    Fix: FastAPI answers 405 by itself; if you do not get it, look for a catch-all route
    or an exception handler that turns every HTTP error into another status.
    """
    document = api.document()
    for kind, path in (("collection", api.paths.collection), ("item", api.paths.item)):
        declared = openapi.operations(document, path)
        unused = next((m for m in UNUSED_METHODS[kind] if m not in declared), None)
        if unused is None:
            continue
        target = api.config.collection if kind == "collection" else api.paths.item_url(1)
        api.request(unused.upper(), target, body={}).expect(
            405, doing=f"using {unused.upper()}, which {path} does not declare"
        )


@check("bad-input-never-500")
def check_bad_input_never_500(api: LearnerApi, values: ValueMaker) -> None:
    """Malformed requests (not JSON, wrong types, a list instead of an object) get a 4xx.

    Why: a 500 means "the server broke". Clients retry it, monitoring pages someone at
    night, and the traceback may reveal your code. Input a client got wrong is a 4xx,
    whatever it is.

    Fix: let FastAPI parse the body into a Pydantic model (it answers 422 for you) rather
    than reading `await request.json()` yourself; if you must, catch the errors and raise
    HTTPException(status_code=422).
    """
    collection = api.config.collection
    names = list(api.manifest.fields)
    bodies: list[tuple[str, dict[str, Any]]] = [
        ("a body that is not JSON", {"raw": f"{names[0]}={values.token()}"}),
        ("a JSON list instead of an object", {"raw": "[]"}),
        ("an empty object", {"body": {}}),
        ("null for every field", {"body": dict.fromkeys(names)}),
        ("an object for every field", {"body": {name: {"x": 1} for name in names}}),
        ("true for every field", {"body": dict.fromkeys(names, True)}),
    ]
    for what, how in bodies:
        answer = api.request("POST", api.config.create_path, **how)
        if not 400 <= answer.status < 500:
            raise answer.failure(
                f"POST {api.config.create_path} with {what} answered {answer.status}",
                expected="a 4xx answer (422) that says what is wrong",
            )
    # Query parameters of the wrong type may be refused (4xx) or ignored (200), not crash.
    for name in api.page(0, 1):
        api.request("GET", collection, params={name: "not-a-number"})
