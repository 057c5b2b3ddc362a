"""One system, two doors: the data outlives the server, and the CLI and the API share it."""

from checks.harness.catalog import check
from checks.harness.doors.cli.driver import LearnerCli, describe_record
from checks.harness.doors.http.resource import API_STORAGE, LearnerApi
from checks.harness.failure import CheckFailed, command_line, require_success
from checks.harness.values import ValueMaker


@check("api-uses-database-url")
def check_api_uses_database_url(own_api: LearnerApi, values: ValueMaker) -> None:
    """A record the API creates is stored in the database that `DATABASE_URL` names.

    Why: the CLI already reads its database from the environment (stage 2); the API must
    too, or the checker, your tests, CI and production all end up in one hard-coded file,
    and each sees the others' records.

    Fix: build the engine from your settings (`core/config.py` reads DATABASE_URL from the
    environment), and give the routes their session through a dependency made from it;
    never from a path written in the code.
    """
    api = own_api  # a server of its own, on a database of its own
    record = values.record(api.manifest.fields)
    api.create_ok(record)
    if not api.storage.stores(record):
        variable = api.manifest.database.url_env
        raise CheckFailed(
            f"the {api.manifest.record} the API created is not in the database {variable} names",
            ran=f"{variable}=… {api.command}, then POST {api.config.create_path}",
            got=f"{len(api.storage.rows())} row(s) in that database, none with "
            f"{describe_record(record)}",
            expected=f"a row with the values sent, in the database {variable} names",
        )


@check("survives-restart")
def check_survives_restart(own_api: LearnerApi, values: ValueMaker) -> None:
    """Records are still there after the server restarts.

    Why: servers restart all the time: every deploy, every crash, every scale-up. Data
    kept in a Python list or dict is gone each time; only the database remembers.

    Fix: store records through your services and repository in the database DATABASE_URL
    names, never in a module-level list or dict; open the database in the app's lifespan
    or in a dependency.
    """
    api = own_api
    record = values.record(api.manifest.fields)
    created = api.create_ok(record)
    api.restart()
    answer = api.get(api.id_of(created))
    answer.expect(200, doing=f"reading {api.manifest.record} created before the restart")
    api.require_values(
        record,
        answer.json(),
        problem="after the restart, the record does not hold the values it was created with",
        ran=answer.curl,
    )


@check("cli-and-api-share-data")
def check_cli_and_api_share_data(cli: LearnerCli, own_api: LearnerApi, values: ValueMaker) -> None:
    """A record added with the CLI is in the API, and one created in the API is in the CLI.

    Why: this is what the service layer was for. Two doors into one system, the same
    rules and the same data, however a record came in. If they disagree, one of them is
    not using your services or not using DATABASE_URL.

    Fix: make the CLI and the API get their unit of work (or session) from the same place,
    built from the same settings (DATABASE_URL); neither should open a database of its own.
    """
    api, fields = own_api, own_api.manifest.fields
    from_cli = values.record(fields)
    cli.add_ok(from_cli)
    listed = api.listing()
    if not any(not api.differences(from_cli, item) for item in listed):
        raise CheckFailed(
            "a record added with the CLI is not in the API's listing",
            ran=f"{cli.command} add …, then GET {api.config.collection}",
            got=f"{len(listed)} record(s) listed, none with {describe_record(from_cli)}",
            expected="the CLI's record in the listing: both doors on the database "
            "DATABASE_URL names",
            step=API_STORAGE,  # an API on a database of its own is graded there
        )
    from_api = values.record(fields)
    record_id = api.id_of(api.create_ok(from_api))
    shown = cli.show(record_id)
    require_success(
        shown,
        f"showing the {api.manifest.record} the API created (id {record_id})",
        fix="the CLI and the API must read the same database: DATABASE_URL for both",
    )
    api.require_values(
        from_api,
        cli.json_output(shown, "the record as a JSON object"),
        problem="the CLI shows the record the API created with other values",
        ran=command_line(cli.transcript[-1]),
    )
