"""The data moved into SQLite, at the database DATABASE_URL names."""

from checks.harness.catalog import check
from checks.harness.doors.cli.driver import describe_record
from checks.harness.doors.cli.seed import Seeded
from checks.harness.failure import CheckFailed


@check("data-in-sqlite")
def check_data_in_sqlite(seeded: Seeded) -> None:
    """Records live in the database named by `DATABASE_URL` (SQLite), not in the old JSON file.

    Why: a database gives you transactions, queries and concurrent readers that a JSON file
    cannot. Reading its location from DATABASE_URL is the convention every framework and
    host uses, so tests, CI and production each point the same code at their own database.

    Fix: build your SQLAlchemy engine from `os.environ["DATABASE_URL"]` (with a default for
    when it is unset), create the tables on first use, and delete the JSON storage code.
    """
    # The run's seed added its records with `add`; this check's copy of its storage holds
    # every file those runs wrote where DATABASE_URL and DATA_FILE pointed.
    cli, record = seeded.cli, seeded.records[0]
    first_add = cli.shared_transcript.steps[0]
    if cli.old_data_file.exists():
        raise CheckFailed(
            "`add` still wrote the stage-1 JSON file",
            ran=first_add,
            got=f"DATA_FILE={cli.old_data_file} was written",
            expected="records saved only in the database that DATABASE_URL names",
        )
    if not cli.storage.database and not cli.data_file.is_file():  # SQLite, until stage 4
        raise CheckFailed(
            "no SQLite database was created where DATABASE_URL points",
            ran=first_add,
            got=f"DATABASE_URL=sqlite:///{cli.data_file}, and that file does not exist",
            expected="your program to open (and create) the database DATABASE_URL names",
        )
    if not cli.storage.stores(record):
        raise CheckFailed(
            "the database does not hold the record that was added",
            ran=first_add,
            got=f"{len(cli.storage.rows())} row(s) in the database's tables, none with all "
            "the values",
            expected=f"a row with {describe_record(record)}",
        )
