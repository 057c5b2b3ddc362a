"""Which repositories to grade: folders on the command line, or a list file of folders and
git URLs. A folder that is not there stops the run before anything is checked; a URL
that cannot be cloned only makes its own row an error."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path

CLONE_DEPTH = 50  # recent history for the checks that read it, without the whole past
CLONE_TIMEOUT = 300.0
# https://, ssh://, git://, file://, or scp-like git@host:owner/repo
URL = re.compile(r"^[a-z][a-z0-9+.-]*://|^[\w.-]+@[\w.-]+:", re.IGNORECASE)


class InputError(Exception):
    """What the mentor asked for cannot be graded; the message is one line that ends with
    the fix."""


class CloneFailed(Exception):
    """A learner's URL could not be cloned; the message is git's reason."""


@dataclass(frozen=True)
class Source:
    key: str  # the resolved path or the URL, as the learner's identity across runs
    name: str  # the repository's folder name
    path: Path | None = None  # a folder on this machine
    url: str | None = None  # or a repository to clone first
    folder: str = ""  # the learner's report subfolder, unique within the cohort

    @classmethod
    def of_path(cls, path: Path, where: str = "") -> Source:
        repo = path.expanduser().resolve()
        if not repo.is_dir():
            problem = "is a file" if repo.exists() else "does not exist"
            raise InputError(f"{where}{path} {problem}; give the folder of a learner's project")
        return cls(key=str(repo), name=repo.name, path=repo)

    @classmethod
    def of_url(cls, url: str) -> Source:
        tail = url.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
        return cls(key=url, name=tail.removesuffix(".git") or "repo", url=url)


def read_list(file: Path) -> list[Source]:
    """The repositories in a list file: one folder or git URL per line; blank lines and
    `#` comments are ignored; relative folders are relative to the list file."""
    try:
        lines = file.expanduser().read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read {file}: {_reason(error)}; give a text file") from None
    sources = []
    for number, line in enumerate(lines, start=1):
        entry = re.sub(r"(^|\s)#.*", "", line).strip()
        if not entry:
            continue
        if URL.match(entry):
            sources.append(Source.of_url(entry))
        else:
            folder = file.expanduser().parent / Path(entry).expanduser()
            sources.append(Source.of_path(folder, where=f"{file} line {number}: "))
    return sources


def unique(sources: list[Source]) -> list[Source]:
    """Each repository once, each with its own report subfolder: its name plus a short
    hash of its key, so that two `expense-tracker` folders never share one, and a learner
    keeps the same subfolder from one run to the next."""
    seen: set[str] = set()
    taken: set[str] = set()
    kept = []
    for source in sources:
        if source.key in seen:
            continue
        seen.add(source.key)
        safe = re.sub(r"[^\w.-]+", "-", source.name).strip(".-") or "repo"
        base = f"{safe}-{hashlib.sha256(source.key.encode()).hexdigest()[:6]}"
        folder, n = base, 2
        while folder in taken:  # two keys whose hashes begin alike
            folder, n = f"{base}-{n}", n + 1
        taken.add(folder)
        kept.append(replace(source, folder=folder))
    return kept


def clone(url: str, into: Path) -> Path:
    """A shallow clone of a learner's repository; never waits for a password."""
    command = ["git", "clone", "--quiet", "--depth", str(CLONE_DEPTH), "--", url, str(into)]
    try:
        finished = subprocess.run(
            command,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},
            timeout=CLONE_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise CloneFailed(_reason(error)) from None
    if finished.returncode != 0:
        said = [line for line in finished.stderr.splitlines() if line.startswith("fatal:")]
        why = said[0].removeprefix("fatal:").strip() if said else ""
        raise CloneFailed(why or f"git clone exited {finished.returncode}")
    return into


def _reason(error: BaseException) -> str:
    return getattr(error, "strerror", None) or str(error)
