"""What a contained program's mount namespace shows in place of the machine's files.

Each learner program starts in a mount namespace of its own (containment.py), where the
launcher binds, before the program runs:

- the program's private `/tmp`, `/var/tmp` and `/dev/shm`: one folder of the workspace (a
  check's own TMPDIR, or the run's);
- when programs run as the learner's user, copies of the machine's `/etc/passwd` and
  `/etc/group` with a `learner` line for that user (its home a folder of the workspace),
  so a program that asks the password database for its name or home finds one
  (`getpass.getuser()`, `pwd.getpwuid(os.getuid())`, `Path.home()` without HOME).

The mounts go in a small fstab table, written by the checker into a folder of its own (the
learner's user can neither read nor change it) once per private /tmp, and applied by one
`mount --all --fstab TABLE`: each `mount` a launcher starts costs about 2 ms of CPU, so five
mounts in one call cost less than the three separate ones before the accounts were added.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

ETC = Path("/etc")
ACCOUNT_NAME = "learner"
ACCOUNT_LINES = {  # a line of each file, for the learner's user
    "passwd": "{name}:x:{id}:{id}:Backend Roadmap learner:{home}:/bin/sh",
    "group": "{name}:x:{id}:",
}
# /tmp last: the folder bound there may itself be under /tmp, hidden once /tmp is bound.
TEMP_FOLDERS = (Path("/var/tmp"), Path("/dev/shm"), Path("/tmp"))
Mount = tuple[Path, Path, str]  # source, target, how ("bind" or "rbind")


def write_accounts(folder: Path, uid: int, home: Path) -> bool:
    """Write copies of the machine's passwd and group files, with the learner's user in
    them, into `folder`; False (nothing written) where the machine has none to bind over,
    or `home` cannot be written in one."""
    if ":" in str(home) or "\n" in str(home):
        return False
    written = {}
    for name, line in ACCOUNT_LINES.items():
        try:
            machine = (ETC / name).read_text("utf-8", errors="replace").splitlines()
        except OSError:
            return False
        kept = [entry for entry in machine if not _names(entry, ACCOUNT_NAME, uid)]
        written[name] = [*kept, line.format(name=ACCOUNT_NAME, id=uid, home=home)]
    for name, lines in written.items():
        _write_once(folder / name, "\n".join(lines) + "\n", replace=True)
    return True


def accounts(folder: Path) -> list[Mount]:
    """The binds that show `write_accounts`'s files in place of the machine's."""
    return [(folder / name, ETC / name, "bind") for name in ACCOUNT_LINES]


def private_tmp(tmp: Path) -> list[Mount]:
    """The binds that make `tmp` the program's /tmp, /var/tmp and /dev/shm."""
    return [(tmp, target, "rbind") for target in TEMP_FOLDERS if target.is_dir()]


def table(folder: Path, mounts: Sequence[Mount]) -> Path:
    """The fstab table of `mounts`, in `folder`: named after its content, written once."""
    text = "".join(f"{_field(s)} {_field(t)} none {how} 0 0\n" for s, t, how in mounts)
    path = folder / f"mounts-{hashlib.sha256(text.encode()).hexdigest()[:16]}"
    if not path.exists():
        _write_once(path, text)
    return path


def _names(line: str, name: str, number: int) -> bool:
    """Whether a passwd or group line is for `name` or for the id `number`."""
    fields = line.split(":")
    return fields[0] == name or (len(fields) > 2 and fields[2] == str(number))


def _field(path: Path) -> str:
    """A path as an fstab field: the characters that would end it, escaped in octal."""
    return "".join(f"\\{ord(c):03o}" if c in " \t\n\\" else c for c in str(path))


def _write_once(path: Path, text: str, replace: bool = False) -> None:
    """Write `path` whole, readable by all (through a mount) and writable by the checker
    only: every worker of a run may write the same table at once."""
    if path.exists() and not replace:
        return
    partial = path.with_name(f".{path.name}-{os.getpid()}")
    partial.write_text(text, "utf-8")
    partial.chmod(0o644)
    os.replace(partial, path)
