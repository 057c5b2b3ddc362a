"""Where a run's PostgreSQL comes from (stage 4 on), started while the workspace is copied.

The main process provides the server and the run's login (`Provisioning`, `RunDatabases`);
a throw-away cluster lives in memory when the machine has room there (ADR 0012).
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

from checks.harness.doors.storage import postgres
from checks.harness.doors.storage.postgres import Cluster, Postgres, PostgresUnavailable
from checks.harness.doors.storage.postgres_run import RunDatabases

__all__ = ["FROM_STAGE", "Postgres", "PostgresUnavailable", "Provisioning", "RunDatabases"]

FROM_STAGE = 4

# Every check's database is a copy of the template: on a disk filesystem each copy costs
# the kernel about 0.2 s of CPU (ext4, 8 MB of files and WAL), in memory a tenth of that.
# A throw-away cluster's data needs no disk: it is deleted at the end of the run.
# ROADMAP_MEMORY_DIR: a folder on a tmpfs of the caller's choosing (a test that counts what
# a run leaves there, beside other runs' clusters)
IN_MEMORY = Path(os.environ.get("ROADMAP_MEMORY_DIR", "/dev/shm"))
IN_MEMORY_ROOM = 1 << 30  # bytes free it needs there: about 8 MB a database, ~100 a run


def cluster_folder(work_base: Path | None, run_id: str) -> Path:
    """Where a throw-away cluster lives: in memory (tmpfs) when the machine has room there,
    else beside the workspaces; short, because its socket path must fit 107 bytes."""
    base = IN_MEMORY if _roomy_tmpfs(IN_MEMORY) else work_base or Path(tempfile.gettempdir())
    return base / f"pg-{run_id}"


def _roomy_tmpfs(folder: Path) -> bool:
    try:
        mounts = Path("/proc/self/mounts").read_text().splitlines()
        free = os.statvfs(folder)
    except OSError:
        return False
    # the mount the folder is on: the longest mount point that holds it
    fields = [m.split() for m in mounts]
    holding = [
        (Path(f[1]), f[2]) for f in fields if len(f) > 2 and Path(f[1]) in (folder, *folder.parents)
    ]
    is_tmpfs = bool(holding) and max(holding, key=lambda mount: len(mount[0].parts))[1] == "tmpfs"
    room = free.f_bavail * free.f_frsize >= IN_MEMORY_ROOM
    return is_tmpfs and room and os.access(folder, os.W_OK | os.X_OK)


class Provisioning:
    """The run's PostgreSQL and its login, made in a thread while the checker copies the
    workspace (a cluster takes most of a second to start); `result` waits for them."""

    def __init__(self, url: str | None, folder: Path, groups_log: Path, run_id: str) -> None:
        self.server: Postgres | None = None
        self.databases: RunDatabases | None = None
        self.error: PostgresUnavailable | None = None
        args = (url, folder, groups_log, run_id)
        self._thread = threading.Thread(target=self._provide, args=args, daemon=True)
        self._thread.start()

    def _provide(self, url: str | None, folder: Path, groups_log: Path, run_id: str) -> None:
        try:
            self.server = provide(url, folder, groups_log)
            self.databases = RunDatabases.open(self.server, run_id)
        except PostgresUnavailable as error:
            self.error = error
        except Exception as error:  # the main thread must hear of it, in one line
            self.error = PostgresUnavailable(f"the checker could not start it: {error}")

    def result(self) -> RunDatabases:
        self._thread.join()
        if self.error is not None:
            raise self.error
        assert self.databases is not None
        return self.databases

    def close(self) -> None:
        """Drop the run's databases and stop a cluster; safe after any failure."""
        self._thread.join()
        if self.databases is not None and not isinstance(self.server, Cluster):
            self.databases.drop_all()  # a cluster of the run's own goes as a whole
        if self.server is not None:
            self.server.close()


def provide(url: str | None, folder: Path, groups_log: Path) -> Postgres:
    """The run's server; a cluster's postmaster goes into the groups the watchdog kills."""
    server = postgres.provide(url, folder)
    if isinstance(server, Cluster):
        with open(groups_log, "a") as log:
            log.write(f"{server.pid}\n")
    return server
