"""Which repositories to grade, and what to call each learner: folders on the command line,
or a list file of `label path-or-url` lines. A folder that is not there stops the run
before anything is checked; a URL that cannot be cloned only makes its own row an error.

A learner is named by the label the mentor gives, else by their folder (or the URL's last
part), never by whoever made the last commit: a merge from a web UI or a bot would rename
the row."""

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
# A list line's words: a quoted run (a label or a path with spaces) or a run of non-spaces.
WORD = re.compile(r'"([^"]*)"|\'([^\']*)\'|(\S+)')


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
    label: str = ""  # what the table calls the learner: the mentor's label, else the folder

    @classmethod
    def of_path(cls, path: Path, where: str = "", label: str = "") -> Source:
        repo = path.expanduser().resolve()
        if not repo.is_dir():
            problem = "is a file" if repo.exists() else "does not exist"
            raise InputError(f"{where}{path} {problem}; give the folder of a learner's project")
        return cls(key=str(repo), name=repo.name, path=repo, label=label)

    @classmethod
    def of_url(cls, url: str, label: str = "") -> Source:
        return cls(key=url, name=_url_parts(url)[-1], url=url, label=label)

    def parts(self) -> list[str]:
        """The folders (or URL segments) that lead to the repo, the repo's own last."""
        return list(self.path.parts[1:]) if self.path else _url_parts(str(self.url))


def read_list(file: Path) -> list[Source]:
    """The repositories in a list file, one per line: a folder or git URL, after the label
    that names the learner (`Ada Lovelace  ada-expenses`: the last word is the folder or
    URL, the words before it the label; quote one that holds spaces). Blank lines and `#`
    comments are ignored; relative folders are relative to the list file."""
    try:
        lines = file.expanduser().read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read {file}: {_reason(error)}; give a text file") from None
    sources = []
    labelled: dict[str, int] = {}  # casefolded label: its line
    for number, line in enumerate(lines, start=1):
        entry = re.sub(r"(^|\s)#.*", "", line).strip()
        if not entry:
            continue
        words = ["".join(groups) for groups in WORD.findall(entry)]
        where, label = f"{file} line {number}: ", " ".join(words[:-1])
        if label.casefold() in labelled:
            first = labelled[label.casefold()]
            raise InputError(
                f"{where}the label {label!r} is already on line {first}; "
                "give each learner a label of their own"
            )
        if label:
            labelled[label.casefold()] = number
        if URL.match(words[-1]):
            sources.append(Source.of_url(words[-1], label))
        else:
            folder = file.expanduser().parent / Path(words[-1]).expanduser()
            sources.append(Source.of_path(folder, where, label))
    return sources


def unique(sources: list[Source]) -> list[Source]:
    """Each repository once, each with its own report subfolder and its own label.

    The subfolder is its name plus a short hash of its key, so that two `expense-tracker`
    folders never share one, and a learner keeps the same subfolder from one run to the
    next. A learner without a label is named by their folder; two folders of the same
    name by as many parent folders as tell them apart (`ada/expense-tracker`)."""
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
    return _labelled(kept)


def _labelled(sources: list[Source]) -> list[Source]:
    """Every source with a label no other carries (case aside): the mentor's own, else
    the shortest tail of its path or URL that no other source shares."""
    given = {s.label.casefold() for s in sources if s.label}
    unnamed = [s for s in sources if not s.label]

    def tail(source: Source, length: int) -> str:
        return "/".join(source.parts()[-length:])

    def clashes(source: Source, length: int) -> bool:
        mine = tail(source, length).casefold()
        others = (tail(o, length).casefold() for o in unnamed if o is not source)
        return mine in given or mine in others

    labels = {}
    for source in unnamed:
        length = 1
        while clashes(source, length) and length < len(source.parts()):
            length += 1
        labels[source.key] = tail(source, length) if not clashes(source, length) else source.key
    return [s if s.label else replace(s, label=labels[s.key]) for s in sources]


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


def _url_parts(url: str) -> list[str]:
    """The path of a git URL, as folders: `https://host/ada/expenses.git` gives host, ada,
    expenses; `git@host:ada/expenses.git` gives ada, expenses."""
    address = URL.sub("", url.rstrip("/")).replace(":", "/")
    parts = [part for part in address.split("/") if part]
    if parts:
        parts[-1] = parts[-1].removesuffix(".git")
    return [part for part in parts if part] or ["repo"]


def _reason(error: BaseException) -> str:
    return getattr(error, "strerror", None) or str(error)
