"""Text fitted to a terminal: its width, a hanging indent, and colour where it helps.

Plain ANSI and the standard library, no rendering library: five colours, the terminal's
width and a hanging indent are all the rubric needs, and learner output (which may hold
`[red]` or escape sequences) is never parsed as markup. Colour follows https://no-color.org
and https://force-color.org: NO_COLOR turns it off, else FORCE_COLOR turns it on, else a CI
log (the CI variable), TERM=dumb or output that is not a terminal gets none.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TextIO

from checks.report.text import printable

LABEL_WIDTH = 9
MIN_WIDTH = 40  # below this, wrapping helps nobody
MIN_PIECE = 20  # the least room a cut line of program output may have under its label
VERBATIM = {"ran", "got", "try"}  # what a program did or what to paste: never re-wrapped
OUTPUT = "got"  # where a program's own output is quoted, under `stdout: ` and `stderr: `
STREAM = re.compile(r"(?:stdout|stderr): ")

# SGR codes
BOLD, DIM, RED, GREEN, YELLOW, MAGENTA, CYAN = "1", "2", "31", "32", "33", "35", "36"


@dataclass(frozen=True)
class Style:
    """How to lay the rubric out: the width to wrap to (None: not a terminal, so no
    wrapping), colour or not, and every failure in full or only the first few."""

    width: int | None = None
    colour: bool = False
    verbose: bool = False

    @classmethod
    def detect(cls, stream: TextIO, environ: Mapping[str, str], *, verbose: bool) -> Style:
        return cls(_width(stream, environ), _colour(stream, environ), verbose)


def _colour(stream: TextIO, environ: Mapping[str, str]) -> bool:
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR", "0") != "0":
        return True
    if environ.get("CI") or environ.get("TERM") == "dumb":
        return False
    return _isatty(stream)


def _width(stream: TextIO, environ: Mapping[str, str]) -> int | None:
    columns = environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return max(MIN_WIDTH, int(columns))
    if not _isatty(stream):
        return None  # a pipe, a file, a CI log: whoever shows it wraps it
    try:
        return max(MIN_WIDTH, os.get_terminal_size(stream.fileno()).columns)
    except (OSError, ValueError):
        return None


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (OSError, ValueError):
        return False


class Layout:
    """Lines fitted to the style's width, with a hanging indent, coloured or not."""

    def __init__(self, style: Style) -> None:
        self.style = style

    def paint(self, text: str, sgr: str) -> str:
        return f"\x1b[{sgr}m{text}\x1b[0m" if self.style.colour and sgr and text else text

    def line(self, head: str, text: str, sgr: str = "", *, head_sgr: str = "") -> list[str]:
        """One line, cut to the width (unless --verbose: then wrapped)."""
        if self.style.verbose:
            return self.wrapped(head, text, sgr, head_sgr=head_sgr)
        text = " ".join(printable(text).split())
        if self.style.width is not None:
            text = _shorten(text, self.style.width - len(head))
        return [self._join(head, head_sgr, text, sgr)]

    def wrapped(self, head: str, text: str, sgr: str = "", *, head_sgr: str = "") -> list[str]:
        """`text` after `head`, wrapped to the width; continuation lines start under it."""
        room = None if self.style.width is None else self.style.width - len(head)
        pieces = [
            piece
            for paragraph in printable(text).split("\n")
            for piece in (_wrap(paragraph, room) if room else [paragraph])
        ]
        hang = " " * len(head)
        return [
            self._join(head if i == 0 else hang, head_sgr if i == 0 else "", piece, sgr)
            for i, piece in enumerate(pieces)
        ]

    def labelled(self, indent: str, label: str, text: str) -> list[str]:
        head = f"{indent}{label:<{LABEL_WIDTH}} "
        if label not in VERBATIM:
            return self.wrapped(head, text, head_sgr=DIM)
        lines = printable(text).split("\n") or [""]
        if label == OUTPUT:
            room = None if self.style.width is None else self.style.width - len(head)
            lines = list(_under_labels(lines, room))
        hang = " " * len(head)
        return [
            self._join(head if i == 0 else hang, DIM if i == 0 else "", line, "")
            for i, line in enumerate(lines)
        ]

    def _join(self, head: str, head_sgr: str, text: str, sgr: str) -> str:
        indent = head[: len(head) - len(head.lstrip(" "))]
        return (indent + self.paint(head.lstrip(" "), head_sgr) + self.paint(text, sgr)).rstrip()


def _under_labels(lines: list[str], room: int | None) -> Iterator[str]:
    """A program's output as `got` quotes it: each line of stdout or stderr under the start
    of its text (not under `stderr: ` itself), and a line of it too long for the terminal
    cut into pieces that keep that indent, rather than left to the terminal to wrap at its
    first column. Nothing is re-flowed: the characters stay the program's own, in order.
    Lines outside stdout and stderr (a test id pytest printed) stay whole, to be copied."""
    hang = ""
    for line in lines:
        found = STREAM.match(line)
        if found:
            hang = " " * found.end()
        elif hang:
            line = hang + line
        if not hang or room is None or len(line) <= room or room - len(hang) < MIN_PIECE:
            yield line
            continue
        cut = _cut(line, room)
        yield line[:cut]
        rest = line[cut:]
        while rest:
            cut = _cut(rest, room - len(hang))
            yield hang + rest[:cut]
            rest = rest[cut:]


def _cut(text: str, room: int) -> int:
    """Where to cut `text` to fit `room`: after a space in the second half, else at `room`."""
    if len(text) <= room:
        return len(text)
    space = text.rfind(" ", 0, room)
    return space + 1 if space >= room // 2 else room


def _wrap(paragraph: str, room: int) -> Iterator[str]:
    """Words of `paragraph` in lines of at most `room` characters (a longer word, such as a
    URL, gets a line of its own rather than being cut)."""
    line = ""
    indent = paragraph[: len(paragraph) - len(paragraph.lstrip(" "))]
    for word in paragraph.split():
        candidate = f"{line} {word}" if line else indent + word
        if line and len(candidate) > room:
            yield line
            line = indent + word
        else:
            line = candidate
    yield line


def _shorten(text: str, room: int) -> str:
    """`text` cut to `room` characters at a word boundary, with … where it was cut."""
    if len(text) <= room:
        return text
    cut = text[: max(room - 1, 1)]
    space = cut.rfind(" ")
    if space > room // 2:
        cut = cut[:space]
    return cut.rstrip(" —·,;:") + "…"
