"""The suite's groups hold: tests that share a costly fixture run on one worker.

`--dist loadgroup` groups by a suffix pytest-xdist writes into each test's id. A pytest
that builds ids another way ignores it without a word, and every worker then makes each
reference run, the stage-7 runs and the golden runs of its own: four times the load.
This runs a small suite with the course's own collection hook on two workers.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CONFTEST = "from tests.conftest import pytest_collection_modifyitems  # noqa: F401\n"

TESTS = """
import os
import pytest

def _note(name, path="{out}"):
    with open(path, "a") as file:
        file.write(f"{{name}} {{os.environ['PYTEST_XDIST_WORKER']}}\\n")

@pytest.fixture(scope="module")
def runs():
    return "the stage-7 runs"

@pytest.mark.parametrize("n", range(6))
def test_shared(runs, n):
    _note("shared")

@pytest.mark.xdist_group("marked")
@pytest.mark.parametrize("n", range(6))
def test_marked(n):
    _note("marked")

@pytest.mark.parametrize("n", range(12))
def test_free(n):
    _note("free")
"""


def test_tests_that_share_a_fixture_or_a_group_run_on_one_worker(tmp_path: Path) -> None:
    out = tmp_path / "workers.txt"
    suite = tmp_path / "suite"
    suite.mkdir()
    (suite / "conftest.py").write_text(CONFTEST)
    (suite / "test_grouped.py").write_text(TESTS.format(out=out))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, "-m", "pytest", "-q", "-n", "2", "--dist", "loadgroup", "-p"]
    done = subprocess.run(
        [*argv, "no:randomly", "-p", "no:cacheprovider", str(suite)],
        cwd=suite,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    workers: dict[str, set[str]] = {}
    lines = out.read_text().splitlines()
    for line in lines:
        name, worker = line.split()
        workers.setdefault(name, set()).add(worker)
    assert len(lines) == 24, lines  # every test ran once
    assert len(workers["shared"]) == 1, workers  # the SHARED fixture's group
    assert len(workers["marked"]) == 1, workers  # an explicit xdist_group
    # Where the ungrouped tests go is the scheduler's choice: a worker slow to start may
    # get none of them, so nothing is asserted of them.
