"""`roadmap-check PATH --watch`: check again whenever a file of the project changes.

Each run is the ordinary checker in a child process of its own, so every run starts as
fresh as the first, and stopping one is the checker's own clean stop (it takes the
learner's programs and its workspace with it). This process only watches and relays.

Watching polls the files' modification times twice a second rather than asking the
kernel (inotify and the like): a learner's project is small once tool folders are skipped,
and polling works the same on every filesystem (WSL's /mnt/c, network shares, containers'
bind mounts, where kernel events get lost), needs no compiled dependency and no limit on
watches, and a change is seen within half a second.
"""

from __future__ import annotations

import ctypes
import fnmatch
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from checks.harness import containment
from checks.harness.workspace import SKIP_NAMES

POLL = 0.5  # seconds between two looks at the files
QUIET = 0.5  # a change is complete once nothing more changed for this long
SETTLE_AT_MOST = 5.0  # ...or after this long, for a tool that never stops writing
STOP_WITHIN = 60.0  # seconds a stopped run may take to clean up before it is killed

# Folders of tools, caches and environments: nothing in them is the learner's code. The
# caches are those the workspace copy skips; the rest it copies, but no change there is a
# change to the code (version control, environments, editors' settings, coverage pages).
SKIPPED_FOLDERS = SKIP_NAMES | {".git", ".hg", ".venv", "venv", ".idea", ".vscode", "htmlcov"}
# Editors' swap, backup and lock files; databases and logs a running program writes.
SKIPPED_FILES = (
    ".*.sw?",  # vim
    "*~",
    ".#*",  # emacs
    "#*#",
    "4913",  # vim's test of whether it may write the folder
    "*.tmp",
    ".DS_Store",
    "*.pyc",
    ".coverage",
    "*.db",
    "*.db-*",
    "*.sqlite",
    "*.sqlite3",
    "*.sqlite3-*",
    "*.log",
)

Snapshot = dict[str, tuple[int, int]]


class _Stop(BaseException):
    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def forever(command: Sequence[str], folder: Path, ignore: Sequence[Path] = ()) -> int:
    """Run `command` now and after every change under `folder`, until Ctrl-C (exit 130)
    or SIGTERM (exit 143): stopped by a signal, as a shell and a script expect to read it."""
    previous = {s: signal.signal(s, _raise_stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        while True:
            before = snapshot(folder, ignore)
            _run(command)
            print(
                f"\nWatching {folder} for changes: save a file to check again, "
                "or press Ctrl-C to stop.",
                flush=True,
            )
            changed = wait_for_change(folder, before, ignore)
            print(f"\n──── {describe(changed)} changed: checking again ────\n", flush=True)
    except _Stop as stop:
        if stop.signum == signal.SIGINT:
            print("\nStopped watching.", flush=True)
        else:
            print("roadmap-check: interrupted", file=sys.stderr, flush=True)
        return 128 + stop.signum
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def without_watch(argv: Sequence[str]) -> list[str]:
    """The command line minus --watch (or the prefix of it argparse accepted)."""
    return [arg for arg in argv if not re.fullmatch(r"--w(a(t(c(h)?)?)?)?", arg)]


def _run(command: Sequence[str]) -> None:
    """One run of the checker. Its own process group, so that a Ctrl-C in the terminal
    reaches it once, from here, and not twice; stopped like a CI timeout stops it (SIGTERM)
    if this process is killed."""
    child = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, process_group=0, preexec_fn=_stop_with_parent
    )
    try:
        child.wait()
    except _Stop as stop:
        for signum in (signal.SIGINT, signal.SIGTERM):  # let it clean up undisturbed
            signal.signal(signum, signal.SIG_IGN)
        child.send_signal(stop.signum)
        try:
            child.wait(timeout=STOP_WITHIN)
        except subprocess.TimeoutExpired:  # its watchdog removes what it leaves
            child.kill()
            child.wait()
        raise


def snapshot(folder: Path, ignore: Sequence[Path] = ()) -> Snapshot:
    """Every file under `folder` that could be the learner's work, with its modification
    time and size; tool folders, editor files and `ignore` (the report folder) skipped."""
    skipped = {str(path.resolve()) for path in ignore}
    files: Snapshot = {}
    for parent, folders, names in os.walk(folder):
        folders[:] = [
            name
            for name in folders
            if name not in SKIPPED_FOLDERS
            and not name.endswith(".egg-info")
            and os.path.join(parent, name) not in skipped
        ]
        for name in names:
            if any(fnmatch.fnmatch(name, pattern) for pattern in SKIPPED_FILES):
                continue
            path = os.path.join(parent, name)
            try:
                stat = os.stat(path)
            except OSError:
                continue  # removed while we looked, or a broken link
            files[os.path.relpath(path, folder)] = (stat.st_mtime_ns, stat.st_size)
    return files


def wait_for_change(folder: Path, before: Snapshot, ignore: Sequence[Path] = ()) -> list[str]:
    """Wait until a file changes, then until the change is complete; return what changed."""
    now = snapshot(folder, ignore)
    while now == before:
        time.sleep(POLL)
        now = snapshot(folder, ignore)
    began = time.monotonic()
    while time.monotonic() - began < SETTLE_AT_MOST:  # an editor or git writes several
        time.sleep(QUIET)
        later = snapshot(folder, ignore)
        if later == now:
            break
        now = later
    return sorted(path for path in before.keys() | now.keys() if before.get(path) != now.get(path))


def describe(changed: list[str]) -> str:
    if not changed:
        return "a file"
    more = len(changed) - 1
    return changed[0] + (f" and {more} other file{'s' if more > 1 else ''}" if more else "")


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop(signum)


def _stop_with_parent() -> None:
    ctypes.CDLL(None).prctl(containment.PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
