"""Throw-away storage: every check's programs get a HOME and a /tmp of their own."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from checks.harness import manifest
from checks.harness.doors.storage import Storage
from checks.harness.manifest import Manifest
from tests.harness.conftest import ContainedRun
from tests.harness.test_manifest import GOOD

# Prints the notes it finds where a careless program keeps its records, then leaves one
# named after its first argument (if any) in each of those folders.
NOTES = """
tag=$1
shift
for folder in "$@"; do
    for note in "$folder"/note-*; do [ -f "$note" ] && echo "${note##*/}"; done
done
[ -z "$tag" ] || for folder in "$@"; do echo "$tag" > "$folder/note-$tag"; done
"""


@pytest.fixture
def stage_1(tmp_path: Path) -> Manifest:
    (tmp_path / "pyproject.toml").write_text(GOOD)
    return manifest.load(tmp_path)


def _notes(contained_run: ContainedRun, storage: Storage, leave: str = "") -> set[str]:
    """The notes a program on `storage` finds in its HOME, TMPDIR and /tmp."""
    folders = ["$HOME", "$TMPDIR", *(["/tmp", "/var/tmp"] if contained_run.private_tmp else [])]
    script = NOTES.replace('"$@"', " ".join(f'"{folder}"' for folder in folders))
    done = contained_run.sh(script, contained_run.workspace.env(**storage.env()), leave)
    assert done.ok, done.stderr
    return set(done.stdout.split())


def test_two_checks_never_see_each_others_home_or_tmp(
    contained_run: ContainedRun, stage_1: Manifest
) -> None:
    first = Storage.fresh(contained_run.workspace, stage_1)
    second = Storage.fresh(contained_run.workspace, stage_1)

    _notes(contained_run, first, leave="first")

    assert _notes(contained_run, second) == set()
    assert _notes(contained_run, first) == {"note-first"}


def test_a_programs_home_and_tmpdir_are_its_storages_own(
    contained_run: ContainedRun, stage_1: Manifest
) -> None:
    storage = Storage.fresh(contained_run.workspace, stage_1)

    env = contained_run.workspace.env(**storage.env())

    assert (env["HOME"], env["TMPDIR"]) == (str(storage.home), str(storage.tmp))
    assert storage.home.is_dir() and storage.tmp.is_dir()
    assert storage.home != contained_run.workspace.home


def test_a_copy_holds_what_was_left_in_home_and_tmp_and_stays_apart(
    contained_run: ContainedRun, stage_1: Manifest
) -> None:
    seed = Storage.fresh(contained_run.workspace, stage_1)
    _notes(contained_run, seed, leave="seed")
    copy = Storage.fresh(contained_run.workspace, stage_1)

    copy.take_copy_of(seed)

    assert (copy.env()["HOME"], copy.env()["TMPDIR"]) == (str(copy.home), str(copy.tmp))
    assert _notes(contained_run, copy, leave="copy") == {"note-seed"}
    assert _notes(contained_run, seed) == {"note-seed"}


def test_a_copy_never_follows_a_link_the_program_left(
    contained_run: ContainedRun, stage_1: Manifest, tmp_path: Path
) -> None:
    checkers = tmp_path / "checker-only"
    checkers.write_text("not for learners")
    checkers.chmod(0o600)
    seed = Storage.fresh(contained_run.workspace, stage_1)
    (seed.home / "link").symlink_to(checkers)
    (seed.tmp / "pipe").mkdir()
    os.mkfifo(seed.tmp / "pipe" / "fifo")
    copy = Storage.fresh(contained_run.workspace, stage_1)

    copy.take_copy_of(seed)

    assert os.readlink(copy.home / "link") == str(checkers)
    assert checkers.stat().st_uid == os.geteuid(), "the link's target was handed over"
    assert not (copy.tmp / "pipe" / "fifo").exists()
