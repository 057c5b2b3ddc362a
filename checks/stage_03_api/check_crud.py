"""Create, read, list, update and delete a record over HTTP, with the right status codes."""

from typing import Any

from checks.harness.catalog import check
from checks.harness.doors.cli.driver import describe_record
from checks.harness.doors.http.resource import LearnerApi
from checks.harness.failure import CheckFailed, a, shown_json
from checks.harness.values import ValueMaker

PAGE_SIZE = 2
RECORDS_TO_PAGE = 5  # pages of 2, 2 and 1


@check("create-returns-201")
def check_create_returns_201(api: LearnerApi, values: ValueMaker) -> None:
    """POST to the collection answers 201 with the stored record and its own new id.

    Why: 201 Created tells a client that something new now exists, and answering with the
    stored record (its id included) saves the client a second request to find out what
    was saved. That id is how the client finds the record again, so no two may share it.

    Fix: `@router.post("", status_code=201)` and return the record your service stored
    (after the database gave it its id) through a response schema that includes the id.
    """
    record, other = values.record(api.manifest.fields), values.record(api.manifest.fields)
    answer = api.create(record)
    answer.expect(
        201,
        doing=f"creating {a(api.manifest.record)}",
        fix="set status_code=201 on the POST route; FastAPI answers 200 unless told",
    )
    created = answer.json()
    first_id = api.id_of(created if isinstance(created, dict) else {}, answer)
    second = api.create(other)
    second.expect(201, doing=f"creating a second {api.manifest.record}")
    second_body = second.json()
    if api.id_of(second_body if isinstance(second_body, dict) else {}, second) == first_id:
        raise second.failure(
            f"two {api.manifest.record} records created one after the other were both "
            f"answered with {api.manifest.id_field} {first_id!r}",
            expected=f"a new {api.manifest.id_field} for each record created",
            fix="answer with the record your service just stored, after the database "
            "assigned its id (flush or commit, then read the id from that row); don't query "
            "the table again without saying which row",
        )
    api.require_values(
        record, created, problem="the created record does not hold the values sent", ran=answer.curl
    )


@check("get-returns-record")
def check_get_returns_record(api: LearnerApi, values: ValueMaker) -> None:
    """GET on the item path answers 200 with the record, unchanged.

    Why: a client that saves something and reads it back must get the same thing; if the
    two representations differ, every client has to guess which one is true.

    Fix: add `@router.get("/{{record_id}}")` that calls your get service and returns the
    same response schema as the create route.
    """
    created = api.create_ok(values.record(api.manifest.fields))
    answer = api.get(api.id_of(created))
    answer.expect(200, doing=f"reading back {a(api.manifest.record)} that was just created")
    got = answer.json()
    changed = [
        f"{key}: created {value!r}, read {got.get(key, '(missing)')!r}"
        for key, value in created.items()
        if not isinstance(got, dict) or got.get(key) != value
    ]
    if changed:
        raise CheckFailed(
            "the record read back is not the record that was created",
            ran=answer.curl,
            got="\n".join(changed),
            expected=f"the same JSON as the create answer: {shown_json(created, 600)}",
        )


@check("list-includes-record")
def check_list_includes_record(own_api: LearnerApi, values: ValueMaker) -> None:
    """GET on the collection lists the new record.

    Why: listing is how a client discovers what exists; a record that was saved but never
    listed is lost to every client that did not keep its id.

    Fix: add `@router.get("")` that calls your list service and returns its records, as
    a JSON array or an object with one array such as {"items": [...], "total": 42}.
    """
    api = own_api  # an empty database: the record must be on the first, default page
    created = api.create_ok(values.record(api.manifest.fields))
    record_id = api.id_of(created)
    listed = api.listing()
    if not any(item.get(api.manifest.id_field) == record_id for item in listed):
        raise CheckFailed(
            f"the {api.manifest.record} that was created is not in the listing",
            ran=api.curl("GET", api.config.collection),
            got=f"{len(listed)} record(s), none with {api.manifest.id_field} {record_id!r}",
            expected=f"the only record, {shown_json(created, 600)}, in the listing",
        )


@check("list-paginates")
def check_list_paginates(own_api: LearnerApi, values: ValueMaker) -> None:
    """The listing honours the pagination parameters, in a stable order.

    Why: a listing without pages gets slower and bigger with every record until clients
    time out. Pages only work if the order is stable: otherwise a record can show up on
    two pages, or on none.

    Fix: take the parameters your manifest's api.pagination names (limit and offset, or
    page and size) as query parameters, pass them to the query (LIMIT/OFFSET), and
    ORDER BY the id so that every request sees the same order.
    """
    api = own_api
    made = [
        api.id_of(api.create_ok(values.record(api.manifest.fields))) for _ in range(RECORDS_TO_PAGE)
    ]
    first = _walk(api)
    second = _walk(api)
    wanted = sorted(map(str, made))
    if sorted(map(str, first)) != wanted:
        raise CheckFailed(
            f"paging through {RECORDS_TO_PAGE} records, {PAGE_SIZE} at a time, did not give "
            "each record exactly once",
            ran=_pages_described(api),
            got=f"ids page by page: {first}",
            expected=f"the ids {made}, each once, in pages of at most {PAGE_SIZE}",
        )
    if first != second:
        raise CheckFailed(
            "the same pages, asked for twice, came back in a different order",
            ran=_pages_described(api),
            got=f"first time {first}, second time {second}",
            expected="the same order every time (ORDER BY the id)",
        )


def _walk(api: LearnerApi) -> list[Any]:
    """The ids of three pages of PAGE_SIZE; a page that is too long fails at once."""
    ids: list[Any] = []
    for index in range(3):
        params = api.page(index, PAGE_SIZE)
        page = api.listing(params)
        expected = min(PAGE_SIZE, RECORDS_TO_PAGE - index * PAGE_SIZE)
        if len(page) != expected:
            raise CheckFailed(
                f"page {index + 1} holds {len(page)} records instead of {expected}",
                ran=f"GET {api.config.collection} with {params}",
                got=f"{len(page)} records",
                expected=f"{expected} of the {RECORDS_TO_PAGE} records (pagination = "
                f'"{api.config.pagination}" in the manifest)',
            )
        ids += [api.id_of(item) for item in page]
    return ids


def _pages_described(api: LearnerApi) -> str:
    pages = [api.page(index, PAGE_SIZE) for index in range(3)]
    return f"GET {api.config.collection} with " + ", then ".join(map(str, pages))


@check("update-changes-only-sent")
def check_update_changes_only_sent(api: LearnerApi, values: ValueMaker) -> None:
    """An update changes the fields sent and leaves every other field as it was.

    Why: with PATCH a client sends only what changes. If the fields it left out are
    wiped or reset, two clients editing different fields destroy each other's work.

    Fix: give the update schema optional fields and apply only the ones the client sent:
    `body.model_dump(exclude_unset=True)`. With PUT, the client sends the whole record.
    """
    fields = api.manifest.fields
    record = values.record(fields)
    created = api.create_ok(record)
    changes = {}
    for name in api.config.update_fields:
        fresh = values.value(fields[name])
        while fresh == record[name]:
            fresh = values.value(fields[name])
        changes[name] = fresh
    answer = api.update(created, changes)
    answer.expect(200, 204, doing=f"updating {describe_record(changes)}")
    after = api.get(api.id_of(created))
    after.expect(200, doing=f"reading the {api.manifest.record} back after the update")
    api.require_values(
        {**record, **changes},
        after.json(),
        problem=f"after the update of {describe_record(changes)}, the {api.manifest.record} "
        "does not hold the values sent, with every other field as it was",
        ran=answer.curl,
    )


@check("delete-returns-204")
def check_delete_returns_204(api: LearnerApi, values: ValueMaker) -> None:
    """DELETE answers 204, and the record is then 404.

    Why: 204 No Content says "done, nothing to show". A 404 afterwards proves the record
    is really gone, not just hidden from the listing.

    Fix: `@router.delete("/{{record_id}}", status_code=204)` returning None, calling your
    delete service.
    """
    created = api.create_ok(values.record(api.manifest.fields))
    record_id = api.id_of(created)
    deleted = api.delete(record_id)
    deleted.expect(
        204,
        doing=f"deleting {a(api.manifest.record)}",
        fix="set status_code=204 on the DELETE route and return nothing",
    )
    api.get(record_id).expect(
        404,
        doing=f"reading {a(api.manifest.record)} that was deleted",
        fix="make the delete route call your delete service and commit",
    )
