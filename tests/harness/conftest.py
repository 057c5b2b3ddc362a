"""Fixtures of the harness's own tests: a launcher alone, or a run's whole containment."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from checks.harness import cgroups, containment, process
from checks.harness.containment import KERNEL, USER_NAMESPACE, Containment
from checks.harness.workspace import Workspace


def _unshare_works(*extra: str) -> bool:
    unshare = shutil.which("unshare")
    trial = [unshare or "unshare", "--pid", "--fork", "--kill-child", "--mount"]
    if unshare is None or shutil.which("setpriv") is None:
        return False
    done = subprocess.run([*trial, *extra, "true"], capture_output=True, check=False)
    return done.returncode == 0


@pytest.fixture
def contained(monkeypatch: pytest.MonkeyPatch) -> Containment:
    """Every program this test starts runs through the real launcher (namespaces, then
    `setpriv`), as a learner's does; no cgroup, and the machine's /tmp (where tmp_path is)."""
    if os.geteuid() == 0 and _unshare_works():
        jail = Containment(KERNEL, None, None, private_tmp=False)
    elif _unshare_works("--user", "--map-root-user"):
        jail = Containment(USER_NAMESPACE, None, None, private_tmp=False)
    else:
        pytest.skip("this machine allows no namespaces, so no launcher runs")
    monkeypatch.setattr(process, "_contained", None)  # restored after the test
    process.contain(jail, None, None)
    return jail


@dataclass(frozen=True)
class ContainedRun:
    workspace: Workspace
    jail: Containment

    def sh(self, script: str, env: dict[str, str], *args: str) -> process.Completed:
        """Run a shell script as a learner program, with `env` as its environment."""
        argv = ["/bin/sh", "-c", script, "sh", *args]
        return process.run(argv, cwd=self.workspace.project, env=env, timeout=10)

    @property
    def private_tmp(self) -> bool:
        """Whether programs get a /tmp of their own here (not on a machine without
        namespaces, nor with the workspace itself under /tmp)."""
        return self.jail.namespaces and self.jail.private_tmp


@pytest.fixture
def contained_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ContainedRun]:
    """What the checker sets up before a run's first learner program: the strongest
    containment this machine allows, a workspace given to the learner's user, the mounts
    prepared in a state folder of the checker's own."""
    source = tmp_path / "project"
    source.mkdir()
    (source / "README.md").write_text("a project\n")
    jail = containment.detect(f"test-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    state = Path(tempfile.mkdtemp(prefix="roadmap-state-"))
    workspace = Workspace.create(source, base=jail.work_base())
    try:
        containment.give_to_learner(workspace.root, jail)
        jail = jail.prepare(state / "mounts", workspace.home)
        monkeypatch.setattr(process, "_contained", None)  # restored after the test
        process.contain(jail, workspace.tmp, None)
        yield ContainedRun(workspace, jail)
    finally:
        process.kill_all()
        cgroups.remove(jail.cgroup_root)
        shutil.rmtree(workspace.root, ignore_errors=True)
        shutil.rmtree(state, ignore_errors=True)
