"""Records that many checks start from, added once per run and copied for each check.

Six checks need records that already exist before they do their own step (show, delete,
ids after a delete, unknown ids, the summary), and three grade the planting itself (the
records were added, listed, and written where the data variable says). Adding three
records costs four starts of the learner's program, 0.3-0.4 s each from stage 2 on; so
the checker adds them once per run, in the background while its workers start
(preparation.py), with the learner's own command, and each check gets a byte-for-byte
copy of that storage, as private to it as a fresh one. The checker never reads the
storage's format: a copy of a folder is a copy, whatever the program keeps in it. The
commands that made the records open each check's "try" lines, so a learner can still
replay the check from scratch.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

from checks.harness.doors.cli.driver import ADD, LearnerCli
from checks.harness.doors.storage import Storage
from checks.harness.failure import CheckFailed
from checks.harness.manifest import Manifest
from checks.harness.transcript import Transcript
from checks.harness.values import ValueMaker
from checks.harness.workspace import Workspace

SEED = "seed"  # the preparation step that plants it (shared.Steps)
SEEDED = 3  # two in one summary group, one in another


@dataclass(frozen=True)
class Seed:
    storage: Storage  # the original; checks get copies
    records: tuple[dict[str, str], ...]
    ids: tuple[Any, ...]  # as `list` printed them, in the order of `records`
    transcript: Transcript  # the commands that added them
    listing: tuple[dict[str, Any], ...] = ()  # what `list` printed after the adds


@dataclass(frozen=True)
class Seeded:
    """One check's copy of the seed: its command, and what is already stored."""

    cli: LearnerCli
    records: tuple[dict[str, str], ...]
    ids: tuple[Any, ...]
    listing: tuple[dict[str, Any], ...] = ()


def plant(cli: LearnerCli, values: ValueMaker) -> Seed:
    """Add the records with the learner's command and read their ids back with `list`.

    A failure carries the lines that replay it (`add-then-list` reports it, and ran
    nothing itself): those that ran, then the `list` that the check would have run next.
    """
    try:
        return _plant(cli, values)
    except CheckFailed as failed:
        failed.try_lines = failed.try_lines or _replay(cli)
        raise


def _replay(cli: LearnerCli) -> list[str]:
    lines = cli.shared_transcript.lines()
    listing = [cli.command, *cli.config.list]
    if lines and cli.transcript[-1] != listing:  # an add failed: `list` never ran
        lines.append(f"{cli.shared_transcript.command(listing)}  # not run: the add failed")
    return lines


def _plant(cli: LearnerCli, values: ValueMaker) -> Seed:
    manifest = cli.manifest
    group_by = manifest.summary.group_by if manifest.summary else None
    groups: list[str] = []
    while group_by and len(groups) < 2:  # values of the group field's own type
        fresh = values.value(manifest.fields[group_by])
        groups += [fresh] if fresh not in groups else []
    records = []
    for index in range(SEEDED):
        fixed = {group_by: groups[index // 2]} if group_by else {}
        records.append(values.record(manifest.fields, **fixed))
        cli.add_ok(records[-1])
    listed = cli.listing()
    try:
        ids = tuple(cli.id_of(cli.find(listed, record)) for record in records)
    except CheckFailed as failed:  # the records did not come back: add-then-list grades it
        raise failed.of_step(ADD) from None
    return Seed(cli.storage, tuple(records), ids, cli.shared_transcript, tuple(listed))


def copy_for(seed: Seed, cli: LearnerCli) -> Seeded:
    """`cli` (on a check's fresh storage) given a private copy of the seeded storage."""
    cli.storage.take_copy_of(seed.storage)
    for line in seed.transcript.lines():
        if line in seed.transcript.setup:
            cli.shared_transcript.set_up(line)
        else:
            cli.shared_transcript.add(line)
    return Seeded(cli, seed.records, seed.ids, seed.listing)


def plant_for_run(
    workspace: Workspace, manifest: Manifest, timeout: float, run_seed: int
) -> dict[str, Any]:
    """Plant the seed for the whole run (the `seed` step): the data every check's copy is
    made from, or the CheckFailed that planting it met."""
    storage = Storage.fresh(workspace, manifest)
    cli = LearnerCli(manifest, workspace, timeout, storage, Transcript())
    seed = plant(cli, ValueMaker(run_seed ^ zlib.crc32(b"seed")))
    return {
        "records": seed.records,
        "ids": seed.ids,
        "listing": seed.listing,
        "setup": seed.transcript.setup,
        "steps": seed.transcript.steps,
        "storage": storage.to_data(),
    }


def from_data(manifest: Manifest, data: dict[str, Any]) -> Seed:
    """The run's seed, as `plant_for_run` wrote it."""
    storage = Storage.from_data(manifest, data["storage"])
    transcript = Transcript()
    for line in data["setup"]:
        transcript.set_up(line)
    for line in data["steps"]:
        transcript.add(line)
    records = tuple(data["records"])
    return Seed(storage, records, tuple(data["ids"]), transcript, tuple(data["listing"]))
