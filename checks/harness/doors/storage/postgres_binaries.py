"""The machine's PostgreSQL: its binaries, and an initialised data folder kept between runs.

initdb takes about half a second on a quiet machine; copying the data folder it made takes
well under a tenth. So every throw-away cluster (`postgres_cluster.py`) starts from a copy
of one template per major version, made on first use and closed to the learner's user.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from checks.harness.containment import user_cache

SEARCH_ROOT = Path("/usr/lib/postgresql")  # Debian and Ubuntu: one folder per major version
SERVER_TOOLS = ("initdb", "pg_ctl", "postgres")
SUPERUSER = "postgres"
URL_HINT = "--database-url postgresql://USER:PASS@HOST:PORT/DB"
INSTALL = (
    "stage 4 needs PostgreSQL and found none on this machine (no initdb, pg_ctl and postgres "
    "on PATH or under /usr/lib/postgresql/*/bin): install it with `sudo apt-get install "
    f"postgresql` or `brew install postgresql@15`, or pass {URL_HINT}"
)
# Every throw-away cluster's settings. The data is deleted after the run, so durability
# buys nothing; small buffers, because a grading box runs several clusters at once.
# Changing them changes the marker, which rebuilds the cached template.
TEMPLATE_SETTINGS = """
# backend-roadmap throw-away cluster, settings 2
listen_addresses = '127.0.0.1'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 32MB
# shared memory segments as files in the data folder, deleted with it: "posix" ones live
# in /dev/shm and outlive a cluster stopped in immediate mode
dynamic_shared_memory_type = mmap
lc_messages = 'C'
"""
MARKER = TEMPLATE_SETTINGS.splitlines()[1]


class PostgresUnavailable(Exception):
    """No PostgreSQL to grade stage 4 on; the message is one line saying how to get one."""


def find_binaries() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres: the one on PATH first (its symlinks
    followed, so that psql and createdb beside them are found too), else the newest
    major version under SEARCH_ROOT."""
    on_path = shutil.which("initdb")
    candidates = [Path(on_path).resolve().parent, Path(on_path).parent] if on_path else []
    candidates += sorted(SEARCH_ROOT.glob("*/bin"), key=_version, reverse=True)
    for folder in candidates:
        if all(os.access(folder / tool, os.X_OK) for tool in SERVER_TOOLS):
            return folder
    return None


def _version(bin_folder: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", bin_folder.parent.name)) or (0,)


def cache_root() -> Path:
    """Where templates are kept between runs (ROADMAP_POSTGRES_CACHE to move them)."""
    if "ROADMAP_POSTGRES_CACHE" in os.environ:
        return Path(os.environ["ROADMAP_POSTGRES_CACHE"])
    if os.geteuid() == 0:
        return Path("/var/cache/backend-roadmap")
    return user_cache()


def template(binaries: Path) -> Path:
    """The initialised data folder for this major version, made on first use. As root it
    is root's: the learner's code must not change the clusters of later runs."""
    version = run_tool([str(binaries / "postgres"), "--version"], None, Path("/"), 30).stdout
    major = re.search(r"(\d+)", version)
    kept = cache_root() / f"pg-template-{major.group(1) if major else 'unknown'}"
    if _is_template(kept):
        return kept
    shutil.rmtree(kept, ignore_errors=True)  # settings of an older checker
    kept.parent.mkdir(parents=True, exist_ok=True)
    build = Path(tempfile.mkdtemp(prefix=f".{kept.name}-", dir=kept.parent))
    try:
        builder = _unprivileged_user() if os.geteuid() == 0 else None
        if builder is not None:
            build.chmod(0o755)
            os.chown(build, builder, builder)
        argv = [str(binaries / "initdb"), "-D", str(build / "data"), "-U", SUPERUSER]
        argv += ["--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8"]
        argv += ["--no-locale", "--no-sync"]
        done = run_tool(argv, builder, build, 300)
        if done.returncode != 0:
            raise PostgresUnavailable(
                f"initdb failed: {last_error(done.stderr + done.stdout)}; check that this "
                f"machine can run {binaries}/initdb, or pass {URL_HINT}"
            )
        with (build / "data" / "postgresql.conf").open("a") as conf:
            conf.write(TEMPLATE_SETTINGS)
        if builder is not None:
            chown_tree(build / "data", 0)
        with contextlib.suppress(OSError):  # a run started at the same time won the race
            (build / "data").rename(kept)
    finally:
        shutil.rmtree(build, ignore_errors=True)
    return kept


def _is_template(folder: Path) -> bool:
    try:
        settings = (folder / "postgresql.conf").read_text()
    except OSError:
        return False
    return (folder / "PG_VERSION").is_file() and MARKER in settings


def _unprivileged_user() -> int:
    """initdb needs its user in the password database; the cluster's own uid has none."""
    try:
        return pwd.getpwnam("nobody").pw_uid
    except KeyError:
        raise PostgresUnavailable(
            "initdb needs an unprivileged user with a name, and this machine has no "
            f"`nobody`: create it (`useradd -r nobody`), or pass {URL_HINT}"
        ) from None


def chown_tree(folder: Path, uid: int) -> None:
    os.chown(folder, uid, uid)
    for parent, dirs, files in os.walk(folder):
        for name in dirs + files:
            os.chown(os.path.join(parent, name), uid, uid, follow_symlinks=False)


def run_tool(
    argv: list[str], uid: int | None, cwd: Path, timeout: float
) -> subprocess.CompletedProcess[str]:
    """Run a PostgreSQL tool as `uid`: initdb, pg_ctl and postgres refuse to run as root.
    In English, so that the checker can read its messages."""
    user: dict[str, Any] = {} if uid is None else {"user": uid, "group": uid, "extra_groups": []}
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PG", "LC_", "LANG"))}
    try:
        return subprocess.run(
            argv,
            cwd=cwd,
            env={**env, "LC_ALL": "C"},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            **user,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise PostgresUnavailable(
            f"{Path(argv[0]).name} could not run ({error}); pass {URL_HINT}"
        ) from None


def last_error(text: str) -> str:
    """The line of a tool's output that says what went wrong."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if re.search(r"FATAL|ERROR|error", line)]
    return (errors or lines or ["no output"])[-1]
