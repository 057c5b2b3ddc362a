"""A learner's last commit, read from the repo's own git history: what was graded (its
short SHA) and how recently they pushed (its date). Its author is read too, but never
names the row: a merge from a web UI or a bot would rename the learner."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

SEPARATOR = "\x1f"  # cannot appear in a name


@dataclass(frozen=True)
class LastCommit:
    author: str
    sha: str  # short
    date: str  # YYYY-MM-DD, the commit's own date


def last_commit(repo: Path) -> LastCommit | None:
    """The last commit of `repo`, or None when it is not a git repo or has no commits."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    # Stop at the repo's own folder: a plain folder inside someone else's git repo has none.
    env["GIT_CEILING_DIRECTORIES"] = str(repo.parent)
    # safe.directory: a mentor (or root) may grade clones that other users own.
    command = ["git", "-c", "safe.directory=*", "-C", str(repo), "log", "-1"]
    try:
        finished = subprocess.run(
            [*command, f"--format=%an{SEPARATOR}%h{SEPARATOR}%cs"],
            capture_output=True,
            text=True,
            env=env,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None  # no git on this machine, or a repo too broken to answer
    fields = finished.stdout.strip().split(SEPARATOR)
    if finished.returncode != 0 or len(fields) != 3:
        return None
    return LastCommit(*fields)
