"""Fixtures of the harness's own tests."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from checks.harness import process
from checks.harness.containment import KERNEL, USER_NAMESPACE, Containment


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
