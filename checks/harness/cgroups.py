"""One cgroup per run, in whichever hierarchy holds each controller (v2, or v1 here).

The kernel's cgroup files are the interface: there is no maintained Python library for
them, and cgroup-tools is a system package a learner's laptop lacks (ADR 0010). A run's
cgroup caps memory and processes for all the learner programs of the run together, and
at the end (or when the checker dies, through the watchdog) everything left in it is
listed and killed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

CGROUP = Path("/sys/fs/cgroup")


def _own_path(hierarchy: str) -> str | None:
    """Where this process sits in a v1 hierarchy ("memory"), or in v2 ("")."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if (hierarchy == "" and controllers == "") or hierarchy in controllers.split(","):
            return path
    return None


def _candidates() -> list[tuple[str, Path, dict[str, str]]]:
    """(kind, folder to create the run's cgroup in, file → value template) per hierarchy."""
    found = []
    v2_mount = CGROUP if (CGROUP / "cgroup.controllers").is_file() else CGROUP / "unified"
    controllers = (
        (v2_mount / "cgroup.controllers").read_text().split()
        if (v2_mount / "cgroup.controllers").is_file()
        else []
    )
    own = _own_path("")
    if own is not None and (v2_mount / "cgroup.controllers").is_file():
        limits: dict[str, str] = {}
        if "memory" in controllers:
            limits |= {"memory.max": "{memory}", "memory.swap.max": "0"}
        if "pids" in controllers:
            limits["pids.max"] = "{pids}"
        if "cpu" in controllers:
            limits["cpu.max"] = "{cpu_quota} {cpu_period}"
        found.append(("v2", v2_mount / own.lstrip("/"), limits))
    for hierarchy, limits in (
        ("memory", {"memory.limit_in_bytes": "{memory}"}),
        ("pids", {"pids.max": "{pids}"}),
        ("cpu", {"cpu.cfs_period_us": "{cpu_period}", "cpu.cfs_quota_us": "{cpu_quota}"}),
    ):
        path = _own_path(hierarchy)
        if path is not None and hierarchy not in controllers and (CGROUP / hierarchy).is_dir():
            found.append((hierarchy, CGROUP / hierarchy / path.lstrip("/"), limits))
    return found


CPU_PERIOD = 100_000  # microseconds: the kernel's default scheduling period


def create_run(
    run_id: str, memory_mib: int, pids: int, cpus: float | None = None
) -> tuple[str | None, set[str]]:
    """Create this run's cgroup in every hierarchy we may write to; return its folders
    (":"-joined, None when none) and the limits that really took ("memory", "pids",
    "cpu": at most `cpus` CPUs' time, when given, so a run beside others in a cohort
    cannot starve them with a busy loop)."""
    made, applied = [], set()
    for _kind, parent, limits in _candidates():
        if cpus is None:
            limits = {k: v for k, v in limits.items() if not k.startswith("cpu.")}
        if not limits:
            continue
        folder = parent / f"roadmap-{run_id}"
        try:
            folder.mkdir()
        except OSError:
            continue
        values = {"memory": str(memory_mib << 20), "pids": str(pids)}
        values |= {"cpu_period": str(CPU_PERIOD), "cpu_quota": str(int((cpus or 1) * CPU_PERIOD))}
        for name, template in limits.items():
            try:
                (folder / name).write_text(template.format(**values))
            except OSError:
                continue  # e.g. v2 without the controller enabled below its parent
            applied.add(name.split(".")[0])
        made.append(str(folder))
    return ":".join(made) or None, applied


def join_files(run: str | None) -> list[str]:
    """The cgroup.procs files a learner program writes its pid to, to join the run."""
    return [str(Path(folder) / "cgroup.procs") for folder in (run or "").split(":") if folder]


def members(run: str | None) -> list[int]:
    pids: set[int] = set()
    for folder in (run or "").split(":"):
        with contextlib.suppress(OSError, ValueError):
            pids |= {int(p) for p in Path(folder, "cgroup.procs").read_text().split()}
    return sorted(pids)


def describe(pids: list[int]) -> list[str]:
    names = []
    for pid in pids:
        try:
            names.append(Path(f"/proc/{pid}/comm").read_text().strip())
        except OSError:
            continue
    return names


def kill_all(run: str | None) -> list[str]:
    """Kill every process left in the run's cgroup; return their names, for the report."""
    left = members(run)
    names = describe(left)
    for folder in (run or "").split(":"):
        kill = Path(folder, "cgroup.kill")
        if folder and kill.is_file():
            with contextlib.suppress(OSError):
                kill.write_text("1")
    for _ in range(50):  # v1 has no cgroup.kill: signal each member until none is left
        left = members(run)
        if not left:
            break
        for pid in left:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.02)
    return names


def remove(run: str | None) -> None:
    kill_all(run)
    for folder in (run or "").split(":"):
        if folder:
            with contextlib.suppress(OSError):
                os.rmdir(folder)


def oom_kills(run: str | None) -> int:
    total = 0
    for folder in (run or "").split(":"):
        for name in ("memory.events", "memory.oom_control"):
            with contextlib.suppress(OSError):
                for line in Path(folder, name).read_text().splitlines():
                    key, _, value = line.partition(" ")
                    if key == "oom_kill":
                        total += int(value)
    return total
