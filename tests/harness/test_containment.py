"""Containment: what a learner program finds of its user and of the machine's files."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from checks.harness import mounts
from checks.harness.containment import KERNEL, PROCESS_GROUP, USER_NAMESPACE, Containment
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


def test_the_terminal_says_what_held_the_programs_in_one_plain_sentence() -> None:
    root = Containment(KERNEL, 61000, "/sys/fs/cgroup/x", cgroup_limits=("memory", "pids"))
    root = replace(root, network="/run/netns/x")
    laptop = Containment(USER_NAMESPACE, None, None, private_tmp=False)
    weakest = Containment(PROCESS_GROUP, None, None)

    assert root.in_brief() == (
        "Your programs ran sandboxed: no network, a private /tmp, limited memory and processes"
    )
    assert laptop.in_brief() == (
        "Your programs ran sandboxed: your machine's network, your machine's /tmp, limited memory"
    )
    assert weakest.in_brief().startswith("Your programs ran without a sandbox")
    for jail in (root, laptop, weakest):  # the mentor's words stay in report.md
        assert not [word for word in ("namespace", "cgroup", "uid") if word in jail.in_brief()]
        assert "namespace" in jail.describe()
