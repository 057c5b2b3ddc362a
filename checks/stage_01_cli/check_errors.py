"""Bad input gets a clear refusal: a non-zero exit code and a message, never a traceback."""

import uuid
from collections.abc import Callable
from typing import Any

from checks.harness.catalog import check
from checks.harness.doors.cli.driver import LearnerCli
from checks.harness.doors.cli.seed import Seed, Seeded
from checks.harness.failure import (
    CheckFailed,
    a,
    command_line,
    require_rejection,
    require_success,
    shown_json,
)
from checks.harness.process import Completed
from checks.harness.values import ValueMaker


def _unknown_id(seeded: Seeded, values: ValueMaker) -> Any:
    """An id of the learner's own kind (number or text) that no stored record has."""
    ids = seeded.ids
    if all(isinstance(i, int) or (isinstance(i, str) and i.isdigit()) for i in ids):
        return max(int(i) for i in ids) + 1000
    return str(uuid.UUID(int=values.rng.getrandbits(128), version=4))


@check("show-unknown-id")
def check_show_unknown_id(seeded: Seeded, values: ValueMaker) -> None:
    """`show` with an id that does not exist fails cleanly.

    Why: "not found" is a normal answer, not a crash. Scripts rely on the exit code to
    know the difference, and in stage 3 the same situation becomes an HTTP 404.

    Fix: raise your own NotFoundError when no record has the id, catch it in main, print
    a one-line message to stderr and return a non-zero exit code (1 is usual).
    """
    missing = _unknown_id(seeded, values)
    require_rejection(seeded.cli.show(missing), f"showing an id that does not exist ({missing})")
    _require_command_works(seeded, seeded.cli.show, "showing", "01-cli/show-by-id")


@check("delete-unknown-id")
def check_delete_unknown_id(seeded: Seeded, values: ValueMaker) -> None:
    """`delete` with an id that does not exist fails cleanly.

    Why: a delete that "succeeds" on nothing hides typos: the user believes the record is
    gone. Exit code 0 must mean it worked.

    Fix: check that a record with the id exists before deleting; if not, print a message on
    stderr and return a non-zero exit code.
    """
    missing = _unknown_id(seeded, values)
    message = f"deleting an id that does not exist ({missing})"
    require_rejection(seeded.cli.delete(missing), message)
    _require_command_works(seeded, seeded.cli.delete, "deleting", "01-cli/delete-by-id")


def _require_command_works(
    seeded: Seeded, command: Callable[[Any], Completed], doing: str, step: str
) -> None:
    """A refusal means "not found" only from a command that works on an id that exists:
    a program without the command refuses every id too (argparse's "invalid choice",
    exit 2), and that is the failure of the check that grades the command itself."""
    known = seeded.ids[0]
    record = seeded.cli.manifest.record
    require_success(command(known), f"{doing} the {record} with id {known}", step=step)


@check("rejects-invalid-value")
def check_rejects_invalid_value(cli: LearnerCli, values: ValueMaker, seed: Seed) -> None:
    """Adding a record with an invalid value is refused, and nothing is stored.

    Why: validation at the boundary keeps bad data out for good: once it is saved, every
    later feature has to cope with it. A traceback tells the user your program broke, not
    that their input was wrong.

    Fix: validate values where you turn text into your model (for example parse
    {number_field} with {number_type} and check its bounds), raise a ValidationError with a
    clear message, and in main print it on stderr and return a non-zero exit code.
    """
    # `seed`: a refusal means something only once a valid record is accepted, which the
    # run's seed shows (when adding fails, this check is blocked by the one grading it).
    record = values.record(cli.manifest.fields) | cli.manifest.invalid
    bad = ", ".join(f"{name}={value!r}" for name, value in cli.manifest.invalid.items())
    require_rejection(cli.add(record), f"adding {a(cli.manifest.record)} with {bad}")
    _require_nothing_stored(cli)


@check("rejects-missing-field")
def check_rejects_missing_field(cli: LearnerCli, values: ValueMaker, seed: Seed) -> None:
    """Adding a record without a required field is refused, and nothing is stored.

    Why: a record with a hole in it breaks every later reader: the summary, the API, the
    database schema. Refuse it when it comes in.

    Fix: make required options required (`add_argument("--{field}", required=True)` does it
    with argparse) and check in your model that no required value is empty.
    """
    for field in cli.manifest.required_fields:  # `seed`: as in rejects-invalid-value
        record = values.record(cli.manifest.fields)
        del record[field.name]
        result = cli.add(record)
        require_rejection(result, f"adding {a(cli.manifest.record)} without {field.name}")
    _require_nothing_stored(cli)


def _require_nothing_stored(cli: LearnerCli) -> None:
    if cli.storage.holds_nothing():
        return  # certain without another run of the program
    stored = cli.listing()
    if stored:
        raise CheckFailed(
            "the refused record was saved anyway",
            ran=command_line(cli.transcript[-1]),
            got=shown_json(stored),
            expected="[] — validate before you save",
            fix=f"check every value of {a(cli.manifest.record)} before anything is written: "
            "parse and validate first, save last, so a refused one leaves the data as it was",
        )
