"""The README's setup commands, run as a reader would paste them, where the sandbox can.

A reader copies the setup section's shell blocks line by line. The checker does the same
in a private copy of the project, in its installed environment, on an empty database of
the run's, and leaves out what it cannot or need not do here: containers (no engine),
downloads and installs (no network; the project is installed already), servers that keep
running, `cd` into the clone. `uv run X` is X: the environment is already synced.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from checks.harness.doors.deploy.markdown import Document, Section

SHELLS = ("", "bash", "sh", "shell", "console", "zsh", "terminal")
MAX_COMMANDS = 12
SERVERS = ("uvicorn", "gunicorn", "hypercorn", "granian")
# Why a command is left out, by its first words.
LEFT_OUT = (
    ("it needs a container engine", ("docker", "podman", "docker-compose", "nerdctl")),
    (
        "it downloads or installs, which the checker did already",
        (
            "git clone",
            "curl",
            "wget",
            "brew",
            "apt",
            "apt-get",
            "sudo",
            "pip install",
            "pip3 install",
            "python -m pip",
            "python3 -m pip",
            "uv sync",
            "uv pip",
            "uv venv",
            "uv add",
            "uv tool",
            "uvx",
            "pipx",
            "npm",
            "python -m venv",
            "python3 -m venv",
            "uv python",
        ),
    ),
    (
        "it starts a server that keeps running",
        ("uvicorn", "gunicorn", "fastapi", "hypercorn", "granian", "flask run"),
    ),
    ("it changes the shell, not the project", ("cd", "source", ".", "deactivate", "exit")),
    ("it opens an interactive program", ("psql", "python", "python3", "ipython", "sqlite3")),
)


@dataclass(frozen=True)
class Command:
    text: str  # as the README says it
    runnable: str  # what the checker runs ("uv run " removed)
    skipped: str = ""  # why it is left out, or "" when it runs


def setup_sections(document: Document, words: tuple[str, ...]) -> list[Section]:
    """The sections whose heading names setup, with their subsections."""
    chosen: list[Section] = []
    level = 0
    for section in document.sections:
        if level and section.level > level:
            chosen.append(section)
            continue
        level = 0
        title = section.title.lower()
        if section.level and any(re.search(rf"(?<![a-z]){re.escape(w)}", title) for w in words):
            chosen.append(section)
            level = section.level
    return chosen


def _lines(language: str, code: str) -> list[str]:
    joined = re.sub(r"\\\n\s*", " ", code)
    lines = []
    for line in joined.splitlines():
        stripped = line.strip()
        if language == "console" or stripped.startswith("$ "):
            if not stripped.startswith("$ "):
                continue  # the output a console block shows
            stripped = stripped[2:].strip()
        if stripped and not stripped.startswith("#"):
            lines.append(stripped)
    return lines


def commands(sections: list[Section], protected: tuple[str, ...]) -> list[Command]:
    """Every shell line of the sections, each with why it is left out, if it is;
    `protected` are variables the checker sets (the database's): an `export` of one is
    left out too."""
    found = []
    for section in sections:
        for language, code in section.blocks:
            if language not in SHELLS:
                continue
            for line in _lines(language, code):
                found.append(_classify(line, protected))
    return found[: MAX_COMMANDS * 3]


def _classify(line: str, protected: tuple[str, ...]) -> Command:
    text = re.sub(r"\s+#.*$", "", line).strip()
    runnable = re.sub(r"^uv run (--?[\w-]+(=\S+)? )*", "", text)
    if runnable.endswith("&"):
        return Command(line, runnable, "it starts a server that keeps running")
    export = re.match(r"export\s+(\w+)=", runnable)
    if export and export.group(1) in protected:
        return Command(line, runnable, "the checker gives the database itself")
    try:
        words = shlex.split(runnable)
    except ValueError:
        words = runnable.split()
    assigned = []
    while words and re.match(r"[A-Za-z_]\w*=", words[0]):  # VAR=value command ...
        assigned.append(words.pop(0).split("=", 1)[0])
    if any(name in protected for name in assigned):
        return Command(line, runnable, "the checker gives the database itself")
    if any(word.rsplit("/", 1)[-1] in SERVERS for word in words):
        return Command(line, runnable, "it starts a server that keeps running")
    for reason, starts in LEFT_OUT:
        for start in starts:
            wanted = start.split()
            if words[: len(wanted)] == wanted and not (
                (wanted == ["python"] and len(words) > 1)
                or (wanted == ["python3"] and len(words) > 1)
            ):
                return Command(line, runnable, reason)
    return Command(line, runnable)


ASKED = re.compile(r"EOFError|GetPassWarning|getpass|EOF when reading a line|Aborted!$", re.M)


def asked_for_input(output: str) -> bool:
    """Whether a command that failed was waiting for someone to type (its stdin is empty)."""
    return bool(ASKED.search(output))
