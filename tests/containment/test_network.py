"""No learner program reaches the network or another learner's grading (issue 18, ADR 10).

A mentor grades strangers' code: whatever it is, it must reach neither the internet nor a
service of the machine (another run's database, anything listening on 127.0.0.1), nor
write what a later run installs, nor starve the learner graded beside it. Each test here
is a hostile project that tries, and a run that must contain it.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from checks.harness import cgroups, process
from checks.harness.workspace import LEARNER_CACHE, shared_cache
from tests.conftest import require_postgres
from tests.containment.conftest import MANIFEST, PROJECT, SETUPTOOLS, UV_BUILD, WORK, Hostile
from tests.containment.test_hostile import PASSING

pytestmark = pytest.mark.slow
ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="a run's own network needs root")


class Listeners:
    """TCP listeners outside any run, counting every connection that reaches them."""

    def __init__(self, addresses: list[str]) -> None:
        self.sockets = [socket.create_server((address, 0)) for address in addresses]
        self.reached: list[str] = []
        for server in self.sockets:
            threading.Thread(target=self._accept, args=(server,), daemon=True).start()

    @property
    def targets(self) -> list[tuple[str, int]]:
        return [server.getsockname()[:2] for server in self.sockets]

    def _accept(self, server: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while True:
                connection, peer = server.accept()
                self.reached.append(f"{server.getsockname()} from {peer}")
                connection.close()

    def close(self) -> None:
        for server in self.sockets:
            server.close()


def _machine_address() -> str | None:
    """This machine's address on its network (not loopback), if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))  # no packet is sent: it picks a route
        except OSError:
            return None
        address: str = probe.getsockname()[0]
    return None if address.startswith("127.") else address


@pytest.fixture
def listeners() -> Iterator[Listeners]:
    addresses = ["127.0.0.1", *filter(None, [_machine_address()])]
    opened = Listeners(addresses)
    yield opened
    opened.close()


def _probe(targets: list[tuple[str, int]]) -> str:
    """Python that tries every target and the internet, and exits 3 naming any it reached."""
    return f"""
import socket, sys
reached = []
for host, port in {targets!r} + [("1.1.1.1", 443), ("pypi.org", 443)]:
    try:
        socket.create_connection((host, port), timeout=2).close()
        reached.append(f"{{host}}:{{port}}")
    except OSError:
        pass
if reached:
    print("hostile reached " + ", ".join(reached), file=sys.stderr)
    sys.exit(3)
"""


@ROOT_ONLY
def test_a_cli_command_and_a_learner_test_reach_nothing_outside_their_run(
    hostile: Hostile, listeners: Listeners, tmp_path: Path
) -> None:
    require_postgres()
    from checks.harness.doors.storage.postgres import Cluster

    another_run = Cluster.start(Path("/var/tmp") / f"pg-other-{hostile.marker[-6:]}")
    try:
        targets = [*listeners.targets, ("127.0.0.1", another_run.port)]
        probe = _probe(targets)
        suite = f"def test_reaches_nothing():\n{_indented(probe)}\n\n\n{PASSING}"
        project = hostile.project(
            f"exec({probe!r})\nusage()", files={"tests/test_network.py": suite}
        )
        args = ("--only", "01-cli/help", "--only", "01-cli/own-tests-pass")
        run = hostile.check(project, *args, "--tests-timeout", "30", within=60)
    finally:
        another_run.stop()

    assert run.statuses() == {"01-cli/help": "pass", "01-cli/own-tests-pass": "pass"}, run.stdout
    assert listeners.reached == []
    assert "no network but a loopback of their own" in " ".join(run.results["notes"])
    assert "Your programs ran sandboxed: no network" in run.stdout  # the learner's sentence


APP = """
import socket, sys
{probe}
async def app(scope, receive, send):  # a bare ASGI app: the server itself is the point
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({{"type": "lifespan.startup.complete"}})
        await send({{"type": "lifespan.shutdown.complete"}})
        return
    await send({{"type": "http.response.start", "status": 200, "headers": []}})
    await send({{"type": "http.response.body", "body": b"{{}}"}})
"""
SERVED = """
[tool.roadmap.layers]
cli = ["expense_tracker.cli"]
services = ["expense_tracker.cli"]
domain = ["expense_tracker.cli"]
api = ["expense_tracker.app"]

[tool.roadmap.api]
app = "expense_tracker.app:app"
collection = "/v1/expenses"
pagination = "limit-offset"
update = "PATCH"
"""


@ROOT_ONLY
def test_a_server_reaches_nothing_outside_its_run_yet_the_checker_reaches_it(
    hostile: Hostile, listeners: Listeners
) -> None:
    project_text = UV_BUILD + PROJECT.replace("dependencies = []", 'dependencies = ["uvicorn"]')
    manifest = MANIFEST.replace("stage = 1", "stage = 3") + SERVED
    app = APP.format(probe=_probe(listeners.targets))
    project = hostile.project(
        pyproject=project_text + manifest, files={"src/expense_tracker/app.py": app}
    )

    run = hostile.check(project, "--only", "03-api/server-starts", within=240)

    assert run.statuses() == {"03-api/server-starts": "pass"}, run.stdout
    assert listeners.reached == []


PLANT = """
import os, pathlib
from setuptools import setup

MARKER = "{MARKER}"
planted = []
CACHES = ("/var/cache/backend-roadmap", "/var/lib/backend-roadmap/venvs", os.path.expanduser("~"))
for cache in CACHES:
    for folder, dirs, files in os.walk(cache):
        for name in files[:3]:
            try:
                with open(os.path.join(folder, name), "a") as poisoned:
                    poisoned.write(MARKER)
                planted.append(name)
            except OSError:
                pass
        try:
            pathlib.Path(folder, "planted-" + MARKER).write_text(MARKER)
        except OSError:
            pass
setup()
"""


@ROOT_ONLY
def test_a_build_that_plants_files_in_the_caches_changes_nothing_for_the_next_project(
    hostile: Hostile, tmp_path: Path
) -> None:
    project = hostile.project(pyproject=SETUPTOOLS + PROJECT + MANIFEST, files={"setup.py": PLANT})
    hostile.check(project, "--only", "01-cli/help", within=240)

    # Every cache a later run reads: the checker's packages, build environments, venvs.
    caches = [shared_cache(), LEARNER_CACHE / "builders", WORK.parent / "venvs"]
    planted = [path for cache in caches for path in _planted(cache, hostile.marker)]
    assert planted == []
    # The next project installs from that cache as if the first had never run.
    clean = Hostile(tmp_path / "next", hostile.marker + "-next")
    clean.folder.mkdir()
    run = clean.check(clean.project(), "--only", "01-cli/help", within=240)
    assert run.statuses() == {"01-cli/help": "pass"}, run.stdout


def _planted(cache: Path, marker: str) -> list[str]:
    """The paths under `cache` named or filled with the marker. Other runs on this machine
    build and prune entries as this walks: os.walk passes over a folder that vanished
    mid-walk (Path.rglob raised FileNotFoundError on one), and so does a file's read."""
    found = []
    for folder, folders, files in os.walk(cache):
        for name in [*folders, *files]:
            path = Path(folder, name)
            if marker in name or (name in files and _holds(path, marker)):
                found.append(str(path))
    return found


def _holds(path: Path, marker: str) -> bool:
    try:
        return path.stat().st_size < 1 << 20 and marker.encode() in path.read_bytes()
    except OSError:
        return False


BUSY = """
import multiprocessing, os, time
def spin():
    while True:
        pass
for _ in range(os.cpu_count() * 2):
    multiprocessing.Process(target=spin, daemon=True).start()
time.sleep(25)
usage()
"""


@ROOT_ONLY
def test_a_learner_busy_on_every_core_gets_only_its_share_of_the_cpus(
    hostile: Hostile, tmp_path: Path
) -> None:
    """As a cohort's grade with --jobs 2 runs them, each run with its share of the CPUs (a
    cgroup quota): a learner who busy-loops on every core uses no more than that share, so
    the learner graded beside it keeps the rest. What is measured is the quota the kernel
    enforces, the spinners' own CPU time over a few seconds, not another run's wall time,
    which the load of the machine moves as much as the neighbour does. The time the honest
    run takes beside it is measured by benchmarks/busy_neighbour.py."""
    share = max(os.cpu_count() or 1, 1) / 2
    spinners = (os.cpu_count() or 1) * 2
    with _background(hostile.project(BUSY), tmp_path / "report", "--cpus", f"{share:g}") as busy:
        folders = _spinning(busy, spinners)
        assert _quota(folders) == share, folders
        pids = cgroups.members(":".join(map(str, folders)))
        before, began = _cpu_seconds(pids), time.monotonic()
        time.sleep(3)
        used = (_cpu_seconds(pids) - before) / (time.monotonic() - began)
        assert busy.poll() is None, "the busy neighbour ended before it was measured"
    assert 0 < used <= share * 1.2, f"{used:.2f} CPUs used; the share is {share:g}"


def _spinning(checker: subprocess.Popen[bytes], spinners: int) -> list[Path]:
    """The cgroup folders of the run `checker` makes, once its learner's spinners are all
    in them: a wait bounded by the checker's life (and 120 s)."""
    deadline = time.monotonic() + 120
    while checker.poll() is None and time.monotonic() < deadline:
        folders = [
            Path(folder)
            for folder, _, _ in os.walk(cgroups.CGROUP)
            if Path(folder).name.startswith(f"roadmap-{checker.pid}-")
        ]
        if len(cgroups.members(":".join(map(str, folders)))) > spinners:
            return folders
        time.sleep(0.2)
    pytest.fail(f"the busy neighbour's {spinners} spinners never all ran (exit {checker.poll()})")


def _quota(folders: list[Path]) -> float | None:
    """The CPUs' time a run's cgroup may use: cgroup v2's cpu.max, or v1's cfs files."""
    for folder in folders:
        if (folder / "cpu.max").is_file():
            quota, period = (folder / "cpu.max").read_text().split()
            return int(quota) / int(period)
        if (folder / "cpu.cfs_quota_us").is_file():
            quota = int((folder / "cpu.cfs_quota_us").read_text())
            return quota / int((folder / "cpu.cfs_period_us").read_text())
    return None


def _cpu_seconds(pids: list[int]) -> float:
    """The CPU time the process groups of these processes have used so far."""
    groups = set()
    for pid in pids:
        with contextlib.suppress(OSError):
            groups.add(os.getpgid(pid))
    return sum(process.cpu_seconds(group) for group in groups)


@contextlib.contextmanager
def _background(project: Path, report: Path, *args: str) -> Iterator[subprocess.Popen[bytes]]:
    argv = [sys.executable, "-m", "checks", str(project), "--report-dir", str(report)]
    argv += ["--only", "01-cli/help", "--timeout", "30", *args]
    running = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield running
    finally:
        running.terminate()
        running.wait(timeout=30)


def _indented(code: str) -> str:
    return "\n".join("    " + line for line in code.strip().splitlines())
