"""Stage 3 · 03-api: the same services behind a FastAPI web API."""

MODULES = ("manifest", "server", "crud", "errors", "persistence", "layers")

# The brief's milestones ("### N. title" in stages/03-api/README.md), each with the checks
# that pass once it is built (the brief's "Turns green"). The rubric groups checks by them;
# task_id is N. Creating is in milestone 3, with the routes, because the other checks of
# that milestone create first; so is the 422 for an invalid body: milestone 2's schemas
# answer it only once milestone 3's routes use them.
MILESTONES = {
    1: (
        "A FastAPI app that uvicorn serves, and settings in `core/config.py`",
        ("manifest-table", "server-starts"),
    ),
    3: (
        "One router, thin routes",
        (
            "openapi-valid",
            "create-returns-201",
            "invalid-body-422",
            "api-uses-database-url",
            "get-returns-record",
            "list-includes-record",
            "unknown-id-404",
            "routes-without-sqlalchemy",
            "services-without-fastapi",
        ),
    ),
    4: (
        "Status codes a client can rely on",
        ("responses-have-schemas", "delete-returns-204", "wrong-method-405", "bad-input-never-500"),
    ),
    5: ("Pages, in a stable order", ("list-paginates",)),
    6: ("An update that changes only the fields sent", ("update-changes-only-sent",)),
    7: ("One system, two doors", ("survives-restart", "cli-and-api-share-data")),
}
