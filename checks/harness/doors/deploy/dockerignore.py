"""`.dockerignore` as the builder reads it (moby's patternmatcher).

A pattern is anchored at the context's root (`__pycache__` matches only there; `**/`
matches in every folder); a pattern that matches a folder leaves out all it holds; `!`
lets a path back in; the last pattern that matches a path decides.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

# What must never reach the builder, each as a path it would have, and what it is.
MUST_STAY_OUT = (
    (".git/HEAD", "the git history"),
    (".env", "your secrets"),
    (".venv/bin/python", "a virtual environment"),
    ("src/app/__pycache__/main.cpython-312.pyc", "Python's cache, in a package folder"),
    (".pytest_cache/README.md", "pytest's cache"),
    ("data.db", "a local database"),
)


def find(context: Path, dockerfile: Path) -> Path | None:
    """BuildKit reads `<Dockerfile>.dockerignore` beside the Dockerfile first, then
    `.dockerignore` at the context's root."""
    for path in (
        dockerfile.with_name(dockerfile.name + ".dockerignore"),
        context / ".dockerignore",
    ):
        if path.is_file():
            return path
    return None


def read(path: Path) -> list[tuple[bool, re.Pattern[str]]]:
    """(is an exception, pattern) in order."""
    patterns = []
    for line in path.read_text("utf-8", errors="replace").splitlines():
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        exception = text.startswith("!")
        text = text[1:].strip() if exception else text
        text = posixpath.normpath(text).lstrip("/")
        if text in ("", "."):
            continue
        patterns.append((exception, re.compile(_regex(text))))
    return patterns


def _regex(pattern: str) -> str:
    out, index = "^", 0
    while index < len(pattern):
        char = pattern[index]
        if char == "*":
            if pattern[index + 1 : index + 2] == "*":
                index += 1
                if pattern[index + 1 : index + 2] == "/":
                    index += 1
                out += ".*" if index + 1 >= len(pattern) else "(.*/)?"
            else:
                out += "[^/]*"
        elif char == "?":
            out += "[^/]"
        elif char == "[":
            end = pattern.find("]", index)
            if end == -1:
                out += re.escape(char)
            else:
                out += pattern[index : end + 1]
                index = end
        elif char == "\\" and index + 1 < len(pattern):
            index += 1
            out += re.escape(pattern[index])
        else:
            out += re.escape(char)
        index += 1
    return out + "$"


def excluded(patterns: list[tuple[bool, re.Pattern[str]]], path: str) -> bool:
    """Whether the builder leaves `path` (relative to the context) out."""
    parts = path.split("/")
    candidates = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    result = False
    for exception, pattern in patterns:
        if any(pattern.match(candidate) for candidate in candidates):
            result = not exception
    return result
