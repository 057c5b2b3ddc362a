"""Containment: what a learner program finds of its user and of the machine's files."""

from __future__ import annotations

from pathlib import Path

from checks.harness import mounts
from tests.harness.conftest import ContainedRun

MINIMAL = {"PATH": "/usr/bin:/bin"}  # no HOME: as a learner's test starts their command


def test_a_program_without_home_finds_its_user_name_and_home(contained_run: ContainedRun) -> None:
    done = contained_run.sh('id -un; getent passwd "$(id -u)" | cut -d: -f6', MINIMAL)

    assert done.ok, done.stderr
    name, home = done.stdout.split()
    if contained_run.jail.uid is not None:  # the learner's own user, named for it
        assert name == mounts.ACCOUNT_NAME
        assert Path(home) == contained_run.workspace.home


def test_a_program_cannot_change_its_users_entry(contained_run: ContainedRun) -> None:
    real = Path("/etc/passwd").read_bytes()

    done = contained_run.sh("echo 'intruder:x:0:0::/:/bin/sh' >> /etc/passwd", MINIMAL)

    assert not done.ok
    assert Path("/etc/passwd").read_bytes() == real
    for name in ("passwd", "group"):
        copy = Path(contained_run.jail.tables or "/nonexistent") / name
        assert not copy.exists() or b"intruder" not in copy.read_bytes()


def test_the_accounts_are_the_machines_own_copied(contained_run: ContainedRun) -> None:
    done = contained_run.sh("getent passwd root | cut -d: -f1,3", MINIMAL)

    assert (done.ok, done.stdout.strip()) == (True, "root:0"), done.stderr
