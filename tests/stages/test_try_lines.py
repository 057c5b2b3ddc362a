"""Every `try` block pastes: in a fresh shell, against the reference, each line does what
it says (the server answers what the check saw, each command exits as it did).

The blocks are the `test_code` of the checks in the reference's own run (the run that
proves it passes), so no extra run of the checker is needed: every check of stages 1 to 3
on the reference of its stage (and a few of stage 1 again on stage 2's SQLite), and a few
of stage 4 on a real PostgreSQL (a cluster of each block's own: the lines make their
scratch database with a fixed name).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from uv import find_uv_bin

from checks.harness.doors.storage import postgres
from checks.harness.doors.storage.postgres_binaries import SUPERUSER
from checks.harness.doors.storage.postgres_cluster import Cluster
from checks.report.exercism import checks_of
from tests.conftest import ReferenceRun, require_postgres
from tests.stages import replay

pytestmark = pytest.mark.slow
GOLDEN = Path(__file__).parents[1] / "report" / "golden" / "try-stage-4.txt"
# Stage 4's blocks are slow (migrations, an admin, password hashes): one of each kind.
STAGE_4 = (
    "04-auth/others-records-are-404",  # two users' tokens, a record's id
    "04-auth/expired-token-401",  # a token the checker signed with the run's key
    "04-auth/deleted-user-token-401",  # a row deleted with psql
    "03-api/cli-and-api-share-data",  # the admin's token, and the CLI acting as them
)
GOLDEN_CHECK = STAGE_4[0]


def _blocks(run: ReferenceRun, wanted: Callable[[dict[str, object]], bool]) -> dict[str, str]:
    return {
        str(check["id"]): str(check["test_code"])
        for check in checks_of(run.run.results)
        if check.get("test_code") and wanted(check)
    }


@pytest.fixture(scope="module")
def shell(reference, tmp_path_factory) -> Callable[[int], tuple[Path, dict[str, str]]]:
    """A stage's reference, installed as a learner would into a venv of its own: the
    folder to paste in and the environment of a fresh shell there (per stage, once)."""
    made: dict[int, tuple[Path, dict[str, str]]] = {}

    def of_stage(stage: int) -> tuple[Path, dict[str, str]]:
        if stage not in made:
            base = tmp_path_factory.mktemp(f"paste-{stage}")
            project = base / "project"
            shutil.copytree(reference(stage), project, symlinks=True)
            uv, venv = find_uv_bin(), base / "venv"
            subprocess.run([uv, "venv", "-q", "--python", sys.executable, venv], check=True)
            python = venv / "bin" / "python"  # compiled once: each command then starts fast
            install = [uv, "pip", "install", "-q", "--compile-bytecode", "--python", python]
            subprocess.run([*install, project], check=True)
            (base / "home").mkdir()
            binaries = postgres.find_binaries()
            path = [str(venv / "bin"), *([str(binaries)] if binaries else []), "/usr/bin", "/bin"]
            env = {
                "PATH": ":".join(path),
                "HOME": str(base / "home"),
                "TMPDIR": str(base / "home"),
                "USER": "learner",
                "LANG": "C.UTF-8",
            }
            made[stage] = (project, env)
        return made[stage]

    return of_stage


def _paste(
    blocks: dict[str, tuple[str, dict[str, str]]], project: Path, folder: Path, workers: int
) -> dict[str, list[replay.Mismatch]]:
    """Paste each block (its lines and its shell's environment); what did not do as said."""
    isolated = replay.isolation()

    def one(check_id: str) -> tuple[str, list[replay.Mismatch]]:
        code, env = blocks[check_id]
        where = folder / check_id.replace("/", "-")
        ran = replay.run_block(code.split("\n"), project, env, where, isolated)
        return check_id, replay.mismatches(ran)

    with ThreadPoolExecutor(workers if isolated else 1) as pool:
        return {check_id: found for check_id, found in pool.map(one, blocks) if found}


def _report(failed: dict[str, list[replay.Mismatch]]) -> str:
    return "\n\n".join(f"{k}:\n" + "\n".join(map(str, v)) for k, v in failed.items())


# Stage 2 moves the data into SQLite, so stage 1's checks paste other set-up lines there:
# a few of them again, of each kind (the seed, a refusal, the summary).
ON_SQLITE = {"01-cli/show-unknown-id", "01-cli/rejects-invalid-value", "01-cli/summary"}


def _of_its_stage(stage: int) -> Callable[[dict[str, object]], bool]:
    return lambda check: check["stage"] == stage or (stage == 2 and check["id"] in ON_SQLITE)


@pytest.mark.parametrize("stage", [1, 2, 3])
def test_every_try_block_of_stages_1_to_3_does_what_it_says_in_a_fresh_shell(
    stage, reference_run, shell, tmp_path
):
    blocks = _blocks(reference_run(stage), _of_its_stage(stage))
    assert len(blocks) >= 4, "most checks run the learner's programs"
    project, env = shell(stage)
    began = time.monotonic()
    failed = _paste({k: (code, env) for k, code in blocks.items()}, project, tmp_path, 4)
    print(f"{len(blocks)} blocks pasted in {time.monotonic() - began:.1f} s")
    assert not failed, _report(failed)


@pytest.fixture
def clusters() -> Iterator[Callable[[], Cluster]]:
    """Throw-away PostgreSQL clusters, one per block (each makes its database by name)."""
    require_postgres()
    if postgres.find_binaries() is None:
        pytest.skip("the blocks make their database with createdb: PostgreSQL's programs")
    started: list[tuple[Cluster, Path]] = []

    def start() -> Cluster:
        folder = Path(tempfile.mkdtemp(prefix="pg-", dir="/var/tmp"))  # short, for a socket
        folder.chmod(0o755)
        started.append((Cluster.start(folder / "c"), folder))
        return started[-1][0]

    yield start
    with ThreadPoolExecutor(4) as pool:  # each waits for its postmaster to end
        list(pool.map(lambda made: made[0].stop(), started))
    for _, folder in started:
        shutil.rmtree(folder, ignore_errors=True)


def test_stage_4_try_blocks_do_what_they_say_on_a_learners_postgresql(
    reference_run, shell, clusters, tmp_path
):
    blocks = _blocks(reference_run(4), lambda check: check["id"] in STAGE_4)
    assert set(blocks) == set(STAGE_4)
    project, env = shell(4)
    pasted = {}
    for check_id, code in blocks.items():  # a server each: they make one database name
        cluster = clusters()
        where = {"PGHOST": str(cluster.folder / "socket"), "PGPORT": str(cluster.port)}
        pasted[check_id] = (code, env | where | {"PGUSER": SUPERUSER})
    began = time.monotonic()
    failed = _paste(pasted, project, tmp_path, workers=3)
    print(f"{len(pasted)} blocks pasted in {time.monotonic() - began:.1f} s")
    assert not failed, _report(failed)


def normalized(code: str) -> str:
    """A block with what differs between runs hidden: names, passwords, keys, tokens."""
    code = re.sub(r"(export SECRET_KEY=)\S+", r"\1<this run's key>", code)
    code = re.sub(r"\b(\w+?)_[0-9a-f]{8}\b", r"\1_<hex>", code)
    return re.sub(r"pw-[\w-]{16}", "pw-<password>", code) + "\n"  # every made-up password


def test_a_stage_4_try_block_matches_the_golden_copy(reference_run):
    """To accept a change on purpose: UPDATE_GOLDEN=1, as tests/report/test_golden.py."""
    import os

    require_postgres()
    (code,) = _blocks(reference_run(4), lambda check: check["id"] == GOLDEN_CHECK).values()
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(normalized(code))
    assert normalized(code) == GOLDEN.read_text()
