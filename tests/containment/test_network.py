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

from checks.harness.workspace import LEARNER_CACHE, shared_cache
from tests.conftest import require_postgres, run_checker
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
    assert "no network but a loopback of their own" in run.stdout


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
CALM = "import time\ntime.sleep(25)\nusage()"


@ROOT_ONLY
def test_a_learner_busy_on_every_core_does_not_starve_the_one_graded_beside_it(
    hostile: Hostile, reference_1: Path, tmp_path: Path
) -> None:
    """As a cohort's grade with --jobs 2 runs them, each run with its share of the CPUs
    (a cgroup quota): the honest learner's run beside a learner who busy-loops on every
    core takes at most half as long again as beside one who only waits."""
    honest = ["--only", "01-cli/add-then-list", "--only", "01-cli/summary"]
    share = f"{max(os.cpu_count() or 1, 1) / 2:g}"
    seconds: dict[str, float] = {}
    # Calm, busy, calm, busy, and the best of each: the other test workers' load drifts
    # through both alike, as the benchmark's pairs do.
    for turn, (name, body) in enumerate([("calm", CALM), ("busy", BUSY)] * 2):
        neighbour = Hostile(tmp_path / f"{name}-{turn}", f"{hostile.marker}-{name}")
        neighbour.folder.mkdir()
        with _background(
            neighbour.project(body), neighbour.folder / "report", "--cpus", share
        ) as beside:
            time.sleep(4)  # installed, and waiting or spinning
            began = time.monotonic()
            report = tmp_path / f"honest-{turn}"
            run = run_checker(reference_1, report, *honest, "--cpus", share)
            took = time.monotonic() - began
            seconds[name] = min(seconds.get(name, took), took)
            assert beside.poll() is None, f"the {name} neighbour ended before the honest run"
        assert run.exit_code == 0, run.stdout
    assert seconds["busy"] <= seconds["calm"] * 1.5, seconds


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
