"""A watchdog that cleans up after the checker, even when the checker is SIGKILLed.

A CI job that is cancelled kills the checker with SIGKILL: no `finally` runs. So at start
the checker spawns this small process in a session of its own, holding the read end of a
pipe whose write end only the checker holds. When the checker ends, however it ends, the
pipe reaches end-of-file and the watchdog kills whatever is left in the run's cgroup and
the process groups the run started, then deletes the run's folders. After a clean run it
finds nothing left to do.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

WATCH = r"""
import json, os, shutil, signal, sys, time
spec = json.loads(sys.argv[1])
while os.read(int(sys.argv[2]), 1):
    pass  # the checker never writes: this returns only when it is gone
for _ in range(50):
    pids = set()
    for folder in spec["cgroups"]:
        try:
            with open(os.path.join(folder, "cgroup.kill"), "w") as kill:
                kill.write("1")
        except OSError:
            pass
        try:
            pids |= {int(p) for p in open(os.path.join(folder, "cgroup.procs")).read().split()}
        except (OSError, ValueError):
            pass
    try:
        pids |= {int(p) for p in open(spec["groups"]).read().split()}
    except (OSError, ValueError, TypeError):
        pass
    for pid in pids:
        for kill in (os.killpg, os.kill):
            try:
                kill(pid, signal.SIGKILL)
            except (OSError, ProcessLookupError):
                pass
    if not any(os.path.exists(f"/proc/{pid}") for pid in pids):
        break
    time.sleep(0.05)
for folder in spec["folders"]:
    shutil.rmtree(folder, ignore_errors=True)
for folder in spec["cgroups"]:
    try:
        os.rmdir(folder)
    except OSError:
        pass
"""


def start(folders: list[Path], cgroup_root: str | None, groups_log: Path | None) -> int:
    """Spawn the watchdog; return the pipe's write end, which the checker keeps open."""
    read_end, write_end = os.pipe()
    spec = {
        "folders": [str(folder) for folder in folders],
        "cgroups": [folder for folder in (cgroup_root or "").split(":") if folder],
        "groups": str(groups_log) if groups_log else None,
    }
    subprocess.Popen(
        [sys.executable, "-I", "-S", "-c", WATCH, json.dumps(spec), str(read_end)],
        pass_fds=(read_end,),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # outlives the checker's process group on purpose
    )
    os.close(read_end)
    os.set_inheritable(write_end, False)  # learner programs must not keep it open
    return write_end
