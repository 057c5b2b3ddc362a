"""The record life cycle: add, list, show, delete — across separate runs of the command."""

from collections.abc import Callable
from pathlib import Path

from checks.harness.catalog import check
from checks.harness.doors.cli.driver import LearnerCli, describe_record
from checks.harness.doors.cli.seed import Seed, Seeded
from checks.harness.failure import CheckFailed, command_line, outcome, require_success, shown_json
from checks.harness.values import ValueMaker, same_value


@check("uses-data-file")
def check_uses_data_file(seeded: Seeded) -> None:
    """Your command saves records in the file named by the data environment variable.

    Why: the path of a data file is configuration, not code. Reading it from the
    environment lets tests, the checker and other users point your tool at their own file
    without touching yours — the same idea as DATABASE_URL in later stages.

    Fix: read the path with `os.environ.get("DATA_FILE")` (the name your manifest gives as
    cli.data_env), fall back to a default only when it is unset, and write the file when
    `add` finishes.
    """
    # The run's seed added its records with `add`; this check's copy of its storage holds
    # whatever those runs wrote where the variable pointed.
    cli = seeded.cli
    if cli.storage.database:  # stage 4: a PostgreSQL database, not a file
        if cli.storage.stores(seeded.records[0]):
            return
    elif cli.data_file.is_file() and cli.data_file.stat().st_size > 0:
        return
    env_name = cli.config.data_env
    if cli.storage.database:
        raise CheckFailed(
            f"after `add`, the database {env_name} names does not hold the record",
            ran=cli.shared_transcript.steps[0],
            got=f"no row with {describe_record(seeded.records[0])}",
            expected=f"the record saved in the database that {env_name} names",
        )
    # This check's copy of the storage holds what the seed's runs wrote in HOME and /tmp.
    elsewhere = _files_under(cli.storage.home, "~") + _files_under(cli.storage.tmp, "/tmp")
    raise CheckFailed(
        f"after `add`, the file named by {env_name} was not written",
        ran=cli.shared_transcript.steps[0],
        got=f"{env_name}={cli.data_file} does not exist or is empty"
        + (f"; files written elsewhere instead: {', '.join(elsewhere)}" if elsewhere else ""),
        expected=f"the record saved in the file that {env_name} names",
    )


def _files_under(folder: Path, shown_as: str) -> list[str]:
    found = (p.relative_to(folder) for p in folder.rglob("*") if p.is_file())
    return sorted(f"{shown_as}/{path}" for path in found)[:3]


@check("add-then-list")
def check_add_then_list(seeded: Seeded) -> None:
    """A record you add is listed, with the values you gave, by the next run of the command.

    Why: this is the whole point of a tool that stores data: what one run saves, the next
    run reads back unchanged. Each run of a CLI is a new process, so anything kept only in
    memory is gone.

    Fix: save every record to the data file when `add` finishes and load the file when the
    program starts; make `list --json` print every field exactly as it was given.
    """
    # The run's seed is this check's work: records added by separate runs, then `list`.
    cli, listed = seeded.cli, list(seeded.listing)
    for record in seeded.records:
        cli.id_of(cli.find(listed, record))


@check("list-json")
def check_list_json(cli: LearnerCli, seed_later: Callable[[], Seed]) -> None:
    """`list` prints valid JSON: an array of objects, and `[]` when nothing is stored yet.

    Why: machine-readable output turns your tool into a building block: scripts, tests and
    later your own web API can use it. JSON that is almost valid is not JSON.

    Fix: build a list of dicts and print it with `json.dumps(...)`, with nothing else on
    stdout (send messages to stderr). An empty store prints `[]`, not a sentence.
    """
    empty = cli.listing()
    if empty:
        raise CheckFailed(
            "a brand-new, empty data file lists records",
            ran=command_line(cli.transcript[-1]),
            got=shown_json(empty),
            expected="[] — nothing was added yet",
        )
    # After the run's seed added its records, `list` printed a JSON array of objects (or
    # the seed failed, and this check with it): it must hold those records and no more.
    seed = seed_later()
    added = len(seed.records)
    if len(seed.listing) != added:
        raise CheckFailed(
            f"after adding {added} records, the listing does not hold exactly {added}",
            ran="\n".join(seed.transcript.steps),
            got=shown_json(list(seed.listing)),
            expected=f"a JSON array with {added} objects",
        )


@check("show-by-id")
def check_show_by_id(seeded: Seeded) -> None:
    """`show ID` prints the record with that id as a JSON object.

    Why: ids are how every later stage finds one record: `GET {collection}/42` in the API does
    exactly what `show 42` does here.

    Fix: look the record up by its id (not by its position in the list) and print it with
    `json.dumps(record)`.
    """
    cli, second = seeded.cli, seeded.records[1]
    record_id = seeded.ids[1]  # not the first: an id is not a position in the list
    result = cli.show(record_id)
    require_success(result, f"showing the {cli.manifest.record} with id {record_id}")
    shown = cli.json_output(result, "one JSON object")
    fields = cli.manifest.fields
    if not isinstance(shown, dict) or not all(
        same_value(fields[k], v, shown.get(k)) for k, v in second.items()
    ):
        raise CheckFailed(
            f"`show {record_id}` did not print that {cli.manifest.record}",
            ran=command_line(result.argv),
            got=outcome(result),
            expected=f"a JSON object with {describe_record(second)}",
        )


@check("delete-by-id")
def check_delete_by_id(seeded: Seeded) -> None:
    """`delete ID` removes that record and keeps every other one.

    Why: deleting the wrong row is the kind of bug that loses a user's data. Checking which
    record went, not just how many, is what catches it.

    Fix: remove exactly the record whose id matches, then save the rest; exit with code 0.
    """
    cli, records, doomed = seeded.cli, seeded.records, seeded.ids[1]
    require_success(cli.delete(doomed), f"deleting the {cli.manifest.record} with id {doomed}")
    remaining = cli.listing()
    if any(cli.id_of(r) == doomed for r in remaining) or len(remaining) != 2:
        raise CheckFailed(
            f"after `delete {doomed}`, the listing is not the other two records",
            ran=command_line(cli.transcript[-1]),
            got=shown_json(remaining),
            expected=f"two records, neither with id {doomed}",
        )
    for kept in (records[0], records[2]):
        cli.find(remaining, kept)


@check("ids-stay-unique")
def check_ids_stay_unique(seeded: Seeded, values: ValueMaker) -> None:
    """A record added after a delete gets an id that no stored record has.

    Why: an id names one record for its whole life. When a new record can take the id of
    one that is still stored (`id = len(records) + 1` after a delete does exactly that),
    `show` and `delete` reach the wrong record, and in the web API a client's saved link
    suddenly points at somebody else's data.

    Fix: store the next id beside the records (a counter that only goes up), or let the
    database hand out ids; never work an id out from how many records there are.
    """
    cli, first = seeded.cli, seeded.ids[0]
    require_success(
        cli.delete(first),
        f"deleting the {cli.manifest.record} with id {first}",
        step="01-cli/delete-by-id",
    )
    cli.add_ok(values.record(cli.manifest.fields))
    after = cli.listing()
    ids = [str(cli.id_of(record)) for record in after]
    shared = sorted({i for i in ids if ids.count(i) > 1})
    if shared:
        raise CheckFailed(
            f"after deleting id {first} and adding one more {cli.manifest.record}, two "
            f"records share the id {shared[0]}",
            ran=command_line(cli.transcript[-1]),
            got=shown_json(after),
            expected=f"{len(after)} different ids",
        )
