"""Time `./nox -s check` on each stage's reference as a ratio to a floor measured alongside.

    python3 benchmarks/check_speed.py [--stage N ...] [--runs N] [--json FILE]

The floor is the least any checker must spend on a project: install it and its `dev`
dependency group into a fresh venv from a warm uv cache, run its own tests once (from
stage 5 under coverage, as the checker must to see which lines they run), from stage 3
start its server once, from stage 4 first create one PostgreSQL database and run the
migrations on it (on a throw-away server this script starts with the machine's
PostgreSQL binaries, untimed, as the checker starts its own), and from stage 7 start
the worker once and stop it. From stage 5 the checker also fuzzes the API for a time box
of its own (`--fuzz-budget`, run beside the other checks): the figure for those stages
is also given less that budget, as issue 19 defines it; mutation testing is opt-in and
not run. The checker is
`./nox -s check` with its nox session already built (warm). Floor and checker runs
alternate, in pairs, so the machine's load drifts through both alike; the figure to watch
is the median of the pairwise ratios checker/floor, which moves much less with the
machine's load than seconds do.
Uses only the standard library, ./nox, the uv that ./nox installs into .tools/bin/ and,
for stage 4, PostgreSQL's own programs (initdb, pg_ctl, createdb).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
UV = ROOT / ".tools" / "bin" / "uv"  # exists once ./nox has run (the reference does)
STAGES = (1, 2, 3, 4, 5, 6, 7)  # the stages whose checks are written
COVERAGE_FROM, WORKER_FROM, FUZZ_FROM = 5, 7, 5
FUZZ_BUDGET = 30.0  # the checker's default --fuzz-budget (checks/cli.py)
WORKER_START = 3.0  # seconds a started worker must stay up: it reached its polling loop
PG_SEARCH = Path("/usr/lib/postgresql")  # Debian's PostgreSQL, one folder per version
PG_USER = "nobody"  # initdb refuses to run as root
SERVER_DEADLINE = 30.0


def run(*argv: str | Path, cwd: Path, env: dict[str, str] | None = None) -> None:
    """Run a command to completion; on failure show its output, since it is a bug here."""
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(
            f"{' '.join(map(str, argv))} exited {done.returncode}:\n{done.stdout}{done.stderr}"
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def work_once(project: Path, env: dict[str, str]) -> None:
    """Start the project's worker (the manifest's command), let it reach its loop, stop it
    with SIGTERM as a deploy does, and wait for it to finish."""
    jobs = tomllib.loads((project / "pyproject.toml").read_text())["tool"]["roadmap"]["jobs"]
    argv = jobs["worker"]
    worker = subprocess.Popen(
        argv,
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        worker.wait(timeout=WORKER_START)
        sys.exit(f"the reference's worker exited at once: {' '.join(argv)}")
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, 15)
        worker.wait(timeout=SERVER_DEADLINE)


def serve_once(python: Path, project: Path, env: dict[str, str]) -> None:
    """Start the project's uvicorn server, wait until it accepts a connection, stop it."""
    api = tomllib.loads((project / "pyproject.toml").read_text())["tool"]["roadmap"]["api"]
    port = free_port()
    argv = [python, "-m", "uvicorn", api["app"], *(["--factory"] if api.get("factory") else [])]
    argv += ["--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(
        argv,
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + SERVER_DEADLINE
        while not listening(port):
            if server.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"the reference's server did not start: {' '.join(map(str, argv))}")
            time.sleep(0.02)
    finally:
        os.killpg(server.pid, 9)
        server.wait()


class Postgres:
    """A throw-away PostgreSQL server for the stage-4 floor, started once, untimed."""

    def __init__(self) -> None:
        found = shutil.which("initdb")
        versions = sorted(PG_SEARCH.glob("*/bin"), key=lambda p: int(p.parent.name))
        self.bin = Path(found).resolve().parent if found else (versions[-1] if versions else None)
        if self.bin is None:
            sys.exit("stage 4 needs PostgreSQL: apt-get install postgresql")
        # In memory where the machine has tmpfs, as the checker's own cluster is: the
        # floor's database costs what a minimal checker's would.
        memory = Path("/dev/shm")
        base = memory if memory.is_dir() and os.access(memory, os.W_OK) else Path("/var/tmp")
        self.folder = Path(tempfile.mkdtemp(prefix="bench-pg-", dir=base))
        self.folder.chmod(0o755)
        self.port = free_port()
        self._as_owner(self.bin / "initdb", "-D", self.folder / "data", "-U", "postgres",
                       "--auth=trust", "-E", "UTF8")  # fmt: skip
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        options += " -c dynamic_shared_memory_type=mmap"  # none left in /dev/shm after stop
        self._as_owner(self.bin / "pg_ctl", "-D", self.folder / "data", "-o", options,
                       "-l", self.folder / "log", "-w", "start")  # fmt: skip

    def _as_owner(self, *argv: str | Path) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.folder, PG_USER)
            argv = ("setpriv", f"--reuid={PG_USER}", "--regid=nogroup", "--clear-groups", *argv)
        run(*argv, cwd=self.folder)

    def create(self, name: str) -> str:
        run(self.bin / "createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
            name, cwd=self.folder)  # fmt: skip
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        self._as_owner(self.bin / "pg_ctl", "-D", self.folder / "data", "-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def floor(reference: Path, stage: int, pg: Postgres | None = None) -> dict[str, float]:
    """One floor run, in seconds per part: install, database (stage 4 on), own tests,
    server (stage 3 on)."""
    with tempfile.TemporaryDirectory(prefix="roadmap-floor-") as tmp:
        project, venv = Path(tmp) / "project", Path(tmp) / "venv"
        python = venv / "bin" / "python"
        shutil.copytree(reference, project)  # as the checker does; not timed
        # The checker's uv settings: bytecode compiled once, never a Python download.
        uv_env = {**os.environ, "UV_COMPILE_BYTECODE": "1", "UV_PYTHON_DOWNLOADS": "never"}
        began = time.perf_counter()
        run(UV, "venv", "--quiet", "--python", sys.executable, venv, cwd=project, env=uv_env)
        install = ("pip", "install", "--quiet", "--python", python, ".", "--group", "dev")
        run(UV, *install, cwd=project, env=uv_env)
        parts = {"install": time.perf_counter() - began}
        # What a learner program sees in the checker: this venv, throw-away storage and HOME.
        env = {
            **os.environ,
            "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
            "VIRTUAL_ENV": str(venv),
            "HOME": tmp,
            "TMPDIR": tmp,
            "PYTHONDONTWRITEBYTECODE": "1",
            "DATABASE_URL": f"sqlite:///{tmp}/data.db",
            "DATA_FILE": f"{tmp}/data.json",
        }
        if pg is not None:  # a migrated database, and a secret to sign tokens with
            began = time.perf_counter()
            env["DATABASE_URL"] = pg.create(f"floor_{os.getpid()}_{time.monotonic_ns()}")
            env |= {"SECRET_KEY": "a-benchmark-secret-key-of-32-bytes!!", "APP_ENV": "production"}
            run(venv / "bin" / "alembic", "upgrade", "head", cwd=project, env=env)
            parts["database"] = time.perf_counter() - began
        began = time.perf_counter()
        measured = ("-m", "coverage", "run", "--data-file", f"{tmp}/.coverage")
        tests = (*(measured if stage >= COVERAGE_FROM else ()), "-m", "pytest", "-q")
        run(python, *tests, "-p", "no:cacheprovider", cwd=project, env=env)
        parts["tests"] = time.perf_counter() - began
        if stage >= 3:
            began = time.perf_counter()
            serve_once(python, project, env)
            parts["server"] = time.perf_counter() - began
        if stage >= WORKER_FROM:
            began = time.perf_counter()
            work_once(project, env)
            parts["worker"] = time.perf_counter() - began
        return parts


def checker(reference: Path, reports: Path) -> float:
    began = time.perf_counter()
    run("./nox", "-s", "check", "--", reference, "--report-dir", reports, cwd=ROOT)
    return time.perf_counter() - began


def spread(values: list[float]) -> dict[str, float]:
    return {
        k: round(f(values), 3)
        for k, f in (("median", statistics.median), ("min", min), ("max", max))
    }


def bench(stage: int, runs: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="roadmap-bench-") as tmp:
        reference, reports = Path(tmp) / "reference", Path(tmp) / "reports"
        run("./nox", "-s", "reference", "--", str(stage), reference, cwd=ROOT)
        pg = Postgres() if stage >= 4 else None
        try:
            # Warm up both, uncounted: uv's cache and the nox session exist before timing.
            floor(reference, stage, pg)
            checker(reference, reports)
            floors: list[dict[str, float]] = []
            checks: list[float] = []
            for i in range(runs):
                # Swap the order in each pair so neither side always runs on a busier machine.
                if i % 2:
                    checks.append(checker(reference, reports))
                    floors.append(floor(reference, stage, pg))
                else:
                    floors.append(floor(reference, stage, pg))
                    checks.append(checker(reference, reports))
        finally:
            if pg is not None:
                pg.stop()
    totals = [sum(parts.values()) for parts in floors]
    fuzz = FUZZ_BUDGET if stage >= FUZZ_FROM else 0.0
    return {
        "fuzz_budget": fuzz,
        "ratio_less_fuzz": spread([(c - fuzz) / f for c, f in zip(checks, totals, strict=True)]),
        "runs": runs,
        "floor": spread(totals),
        "floor_parts": {k: round(statistics.median(p[k] for p in floors), 3) for k in floors[0]},
        "checker": spread(checks),
        "ratio": spread([c / f for c, f in zip(checks, totals, strict=True)]),
        "pairs_floor_checker": [
            [round(f, 3), round(c, 3)] for f, c in zip(totals, checks, strict=True)
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--stage", type=int, nargs="+", default=list(STAGES), choices=STAGES, help="default: all"
    )
    parser.add_argument("--runs", type=int, default=3, help="floor/checker pairs per stage")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    results = {}
    print(f"checker/floor, {args.runs} pairs per stage, {os.cpu_count()} CPUs; medians (min-max)")
    for stage in args.stage:
        r = results[str(stage)] = bench(stage, args.runs)
        parts = ", ".join(f"{k} {v:.1f}" for k, v in r["floor_parts"].items())
        f, c, q = r["floor"], r["checker"], r["ratio"]
        print(
            f"  stage {stage}: floor {f['median']:4.1f} s ({parts})  "
            f"checker {c['median']:4.1f} s ({c['min']:.1f}-{c['max']:.1f})  "
            f"ratio {q['median']:.2f} ({q['min']:.2f}-{q['max']:.2f})"
            + (
                f"; less the fuzz budget {r['ratio_less_fuzz']['median']:.2f}"
                if r["fuzz_budget"]
                else ""
            )
        )
    if args.json:
        machine = {
            "cpus": os.cpu_count(),
            "load": os.getloadavg(),
            "python": sys.version.split()[0],
        }
        args.json.write_text(json.dumps({"machine": machine, "stages": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
