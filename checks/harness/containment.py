"""Contain learner code with the kernel: nothing it starts outlives a run or leaks out.

Every learner program (its build, its CLI, its server, its own tests) starts through
`Containment.wrap`, which puts it in

- a **PID namespace** (`unshare --pid --fork --kill-child`): when the namespace's first
  process dies, the kernel kills everything in it, daemons and `setsid` escapes included;
  `unshare` itself dies with its parent (PR_SET_PDEATHSIG), so a SIGKILLed checker takes
  it along;
- a **mount namespace** with a private `/tmp`, `/var/tmp` and `/dev/shm` (bound to a folder
  of the workspace: the program's own TMPDIR, one per check), and, where it switches user,
  the password database with that user in it (mounts.py);
- when the checker runs as root, a **dedicated unprivileged user** (`learner`, its home a
  folder of the workspace), which owns the workspace and nothing else;
- **limits**: a cgroup for memory and processes where the machine lets us make one (v2, or
  v1's memory and pids hierarchies), else RLIMIT_AS; always RLIMIT_FSIZE and no core files.

Where the machine allows less (a laptop where user namespaces are off), it degrades to a
process group and rlimits, and `describe()` says so in every report. ADR 0010 records why
these kernel features and not a library, and what is not contained (the network).
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import json
import os
import re
import shutil
import signal
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from checks.harness import cgroups, mounts

LEARNER_UID = int(os.environ.get("ROADMAP_LEARNER_UID", "61000"))  # owns nothing else
MEMORY_MIB = 2048  # for all the learner programs of one run together (cgroup)
MAX_PROCESSES = 1024  # processes and threads, all programs of a run together
MAX_FILE_MIB = 256
PR_SET_PDEATHSIG = 1
RLIMIT_OPTIONS = {"RLIMIT_FSIZE": "fsize", "RLIMIT_CORE": "core", "RLIMIT_AS": "as"}
RLIMIT_OPTIONS |= {"RLIMIT_NPROC": "nproc"}

KERNEL, USER_NAMESPACE, PROCESS_GROUP = "kernel", "user-namespace", "process-group"

# What `setpriv`, the launcher's last step, prints when it cannot exec the learner's
# program (exit 127 when it does not exist, 126 when it cannot be run): the program never
# ran, so this one line is all its output.
LAUNCH_FAILED = re.compile(r"setpriv: failed to execute (?P<program>.+): (?P<reason>[^:]+)")

# Runs inside the new namespaces, before the learner's program: the mounts of one table
# (private temp folders, the learner's accounts: mounts.py), then the cgroup; `prlimit` and
# `setpriv` (util-linux, like `unshare`) then set the limits and the unprivileged user and
# exec the program. A POSIX shell and four small C programs start in a few ms, where a
# Python launcher took about 20 ms of every learner process.
LAUNCHER = r"""
mount=$1 table=$2 cgroups=$3
shift 3
if [ -n "$table" ] && ! "$mount" --all --no-mtab --fstab "$table" 2>/dev/null; then
    echo "containment: could not mount the program's private /tmp or its user's name" >&2
    exit 125
fi
for procs in $cgroups; do
    echo $$ > "$procs" || exit 125
done
exec "$@"
"""


@dataclass(frozen=True)
class Containment:
    level: str  # KERNEL, USER_NAMESPACE or PROCESS_GROUP
    uid: int | None  # the learner's user when the checker runs as root
    cgroup_root: str | None  # this run's cgroup (a path per hierarchy, ":"-joined)
    memory_mib: int = MEMORY_MIB
    cgroup_limits: tuple[str, ...] = ()  # the limits the cgroup really holds
    private_tmp: bool = True  # off when the workspace itself lives under /tmp
    tables: str | None = None  # the checker's folder for mount tables (`prepare`)
    named: bool = False  # the learner's user has passwd and group entries in `tables`
    network: str | None = None  # the run's network namespace (netns.py), or the machine's
    cpus: float | None = None  # the CPUs' time the run's programs may use together

    @property
    def memory_by_cgroup(self) -> bool:
        return "memory" in self.cgroup_limits

    @property
    def namespaces(self) -> bool:
        return self.level in (KERNEL, USER_NAMESPACE)

    def describe(self) -> str:
        """One line for the report: what held the learner's programs in."""
        memory = f"{self.memory_mib} MiB of memory" + (
            " for all of them together (cgroup)"
            if self.memory_by_cgroup
            else " each (address-space limit)"
        )
        processes = f" and {MAX_PROCESSES} processes" if "pids" in self.cgroup_limits else ""
        if "cpu" in self.cgroup_limits and self.cpus:
            processes += f", {self.cpus:g} CPU{'s' * (self.cpus != 1)}' time"
        if self.level == KERNEL:
            who = f"as an unprivileged user (uid {self.uid})" if self.uid is not None else ""
            network = (
                "with no network but a loopback of their own (the install excepted: it "
                "reaches the package index)"
                if self.network
                else "sharing the machine's network"
            )
            return (
                f"learner programs ran in their own PID and mount namespaces {who}, "
                f"{self._tmp}, {network}, at most {memory}{processes}"
            ).replace("  ", " ")
        if self.level == USER_NAMESPACE:
            return (
                "learner programs ran in their own user, PID and mount namespaces, "
                f"{self._tmp} and at most {memory}; as your own user, not a separate one"
            )
        return (
            "weaker containment: this machine allows no namespaces, so learner programs ran "
            f"in process groups with rlimits (at most {memory}); a program that leaves its "
            "process group could outlive the run"
        )

    def in_brief(self) -> str:
        """`describe()` as one plain sentence, for a learner's terminal."""
        limits = "limited memory" + (" and processes" if "pids" in self.cgroup_limits else "")
        if not self.namespaces:
            return f"Your programs ran without a sandbox (this machine allows none), with {limits}"
        network = "no network" if self.network else "your machine's network"
        tmp = "a private /tmp" if self.private_tmp else "your machine's /tmp"
        return f"Your programs ran sandboxed: {network}, {tmp}, {limits}"

    @property
    def _tmp(self) -> str:
        return "with a private /tmp" if self.private_tmp else "sharing the machine's /tmp"

    def work_base(self) -> Path | None:
        """Where workspaces go: never under a folder the namespace replaces with a private
        one (/tmp), or the learner's program would not see its own workspace."""
        if not self.namespaces:
            return None  # the system's temporary folder, as before
        if os.geteuid() == 0:
            base = Path(os.environ.get("ROADMAP_WORK_DIR", "/var/lib/backend-roadmap/work"))
        else:
            base = user_cache() / "work"
        base.mkdir(parents=True, exist_ok=True)
        return base

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Containment:
        return cls(**json.loads(text))

    def wrap(self, argv: Sequence[str], tmp: Path | None, network: bool = False) -> list[str]:
        """The command that runs `argv` contained; `tmp` becomes its /tmp. Only with
        `network` (an install) does it reach the machine's network."""
        if not self.namespaces:
            return list(argv)
        enter = []
        if self.network and not network:
            enter = [_tool("nsenter"), f"--net={self.network}", "--"]
        unshare = [*enter, _tool("unshare"), "--pid", "--fork", "--kill-child"]
        unshare += ["--mount", "--propagation", "private"]
        if self.level == USER_NAMESPACE:
            unshare += ["--user", "--map-root-user"]
        joins = " ".join(cgroups.join_files(self.cgroup_root))
        table = self.mount_table(tmp)
        # Every program by its absolute path: the launcher runs as root, and the learner's
        # PATH starts with a folder their programs may write to (the venv's bin).
        launcher = [_tool("sh"), "-c", LAUNCHER, "launcher", _tool("mount"), table, joins]
        limits = [f"--{RLIMIT_OPTIONS[name]}={value}" for name, value in self.rlimits().items()]
        user = ["--reuid", str(self.uid), "--regid", str(self.uid), "--clear-groups"]
        # No capabilities at all, also for the namespace's mapped root (user-namespace
        # mode): without them, read-only files stay read-only, even the caller's own.
        drop = ["--inh-caps=-all", "--bounding-set=-all", "--no-new-privs"]
        setpriv = [_tool("setpriv"), *(user if self.uid is not None else []), *drop]
        return [*unshare, "--", *launcher, _tool("prlimit"), *limits, "--", *setpriv, *argv]

    def prepare(self, folder: Path, home: Path) -> Containment:
        """This containment, ready to start programs: its mount tables go in `folder` (the
        checker's own, closed to the learner), with, where programs switch user, the
        passwd and group files that name it, its home `home`. Done once per run."""
        if not self.namespaces:
            return self
        folder.mkdir(mode=0o700, exist_ok=True)
        named = self.uid is not None and mounts.write_accounts(folder, self.uid, home)
        return replace(self, tables=str(folder), named=named)

    def mount_table(self, tmp: Path | None) -> str:
        """The table of mounts the launcher makes for a program whose /tmp is `tmp`, or
        "" when there are none."""
        private = str(tmp) if tmp and self.private_tmp else ""
        return _mount_table(self.tables, self.named, private)

    def rlimits(self) -> dict[str, int]:
        limits = {"RLIMIT_FSIZE": MAX_FILE_MIB << 20, "RLIMIT_CORE": 0}
        if not self.memory_by_cgroup:
            limits["RLIMIT_AS"] = self.memory_mib << 20
        if "pids" not in self.cgroup_limits and self.uid is not None:
            limits["RLIMIT_NPROC"] = MAX_PROCESSES  # counts every process of the learner user
        return limits

    def preexec(self) -> Callable[[], None]:
        """Run in the child before exec: die with the process that started it."""
        limits = {} if self.namespaces else self.rlimits()

        def prepare() -> None:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
            # Ctrl-C as a terminal gives it: a checker started in the background (`cmd &`
            # in a script, as CI runners do) has SIGINT ignored, and an ignored signal is
            # inherited, so a server asked to stop gracefully (coverage saves its data
            # then) never heard it. NULL is SIG_DFL.
            libc.signal.restype = ctypes.c_void_p
            libc.signal.argtypes = (ctypes.c_int, ctypes.c_void_p)
            libc.signal(signal.SIGINT, None)
            if limits:
                import resource

                for name, value in limits.items():
                    resource.setrlimit(getattr(resource, name), (value, value))

        return prepare


def detect(run_id: str, cpus: float | None = None) -> Containment:
    """The strongest containment this machine allows the checker, found by trying it;
    `cpus`, the CPUs' time its programs may use together (a cgroup's quota)."""
    root = os.geteuid() == 0
    trial = ["unshare", "--pid", "--fork", "--kill-child", "--mount", "--propagation", "private"]
    if root and _works([*trial, "true"]):
        level = KERNEL
    elif _works([*trial, "--user", "--map-root-user", "true"]):
        level = USER_NAMESPACE
    else:
        return Containment(PROCESS_GROUP, None, None)  # only the launcher joins cgroups
    folders, limits = (
        cgroups.create_run(run_id, MEMORY_MIB, MAX_PROCESSES, cpus) if root else (None, set())
    )
    uid = claim_uid() if level == KERNEL else None
    return Containment(level, uid, folders, cgroup_limits=tuple(sorted(limits)), cpus=cpus)


# A user of its own for each run at once: a learner's program can neither read another
# run's workspace nor signal its programs. The first run takes LEARNER_UID; runs beside it
# (a cohort with --jobs) take the next free one, held by a lock for the run's life.
UID_LOCKS = Path(os.environ.get("ROADMAP_UID_LOCKS", "/run/backend-roadmap/uids"))
OTHER_UIDS = 62000  # where the users of runs beside the first start (61001 is PostgreSQL's)
_claimed: list[int] = []  # the open lock's descriptor: closed when the process ends


def claim_uid() -> int:
    """A learner uid no other run of this machine holds now."""
    import fcntl

    with contextlib.suppress(OSError):
        UID_LOCKS.mkdir(parents=True, exist_ok=True)
    for slot in range(1000):
        uid = LEARNER_UID if slot == 0 else OTHER_UIDS + slot
        try:
            fd = os.open(UID_LOCKS / str(uid), os.O_CREAT | os.O_RDWR, 0o600)
        except OSError:
            return LEARNER_UID  # nowhere to keep locks: one user for every run, as before
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue
        _claimed.append(fd)
        return uid
    return LEARNER_UID


@functools.cache  # once per /tmp folder: every program of a check shares its table
def _mount_table(tables: str | None, named: bool, tmp: str) -> str:
    folder = Path(tables) if tables else None
    wanted = mounts.accounts(folder) if folder and named else []
    wanted += mounts.private_tmp(Path(tmp)) if tmp else []
    if not wanted:
        return ""
    if folder is None:
        raise RuntimeError("prepare() the containment before it starts a program")
    return str(mounts.table(folder, wanted))


@functools.cache
def _tool(name: str) -> str:
    """A util-linux or POSIX program, by absolute path, even one this machine lacks: the
    learner's PATH comes first, and starts with a folder their programs may write to."""
    return shutil.which(name, path="/usr/bin:/bin:/usr/sbin:/sbin") or f"/usr/bin/{name}"


def _works(argv: list[str]) -> bool:
    if shutil.which(argv[0]) is None:
        return False
    try:
        done = subprocess.run(argv, capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def give_to_learner(folder: Path, containment: Containment, keep: str | None = "pristine") -> None:
    """Make `folder` the learner user's, so their programs can write there and only there;
    its subfolder `keep` stays the checker's (readable, not writable, by the learner)."""
    if containment.uid is None:
        return
    uid = containment.uid
    os.chown(folder, uid, uid)
    for parent, dirs, files in os.walk(folder):
        if parent == str(folder):
            dirs[:] = [d for d in dirs if d != keep]
        for name in dirs + files:
            os.chown(os.path.join(parent, name), uid, uid, follow_symlinks=False)


def user_cache() -> Path:
    """The checker's folder in the caller's own cache (XDG), for runs that are not root's."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "backend-roadmap"


def hidden_by_private_tmp(path: Path) -> bool:
    """Whether a private /tmp would hide `path` from the programs that must use it."""
    real = path.resolve()
    return any(real.is_relative_to(folder) for folder in ("/tmp", "/var/tmp", "/dev/shm"))
