"""The cohort table as a terminal shows it: fixed columns fitted to its width, each cell
trimmed with … where it does not fit. cohort.md and cohort.html hold every word."""

from __future__ import annotations

import unicodedata

from checks.cohort import cells
from checks.cohort.rows import Row
from checks.report.layout import Layout, Style
from checks.report.terminal import MARK_COLOURS
from checks.report.text import printable

GAP = "  "
PIPED_WIDTH = 100  # output that is not a terminal: a log, a file, `| less`
FLEXIBLE_MIN = 12  # the narrowest a column of check ids is still worth showing
LEARNER_MIN = 8
PROGRESS_MIN = len("no progress for 3 runs")


def render(rows: list[Row], compared_with: str | None, style: Style) -> str:
    """The table, then the cohort's totals, one line each, none wider than the style's
    width (but for a terminal too narrow to hold the fixed columns at all)."""
    width = style.width or PIPED_WIDTH
    # Short headers leave room for the words: required and advisory checks passing; the
    # first failing check, or why the repo could not be checked.
    header = ["learner", "stage", "req.", "adv.", "status", "to work on"]
    header += [f"since {compared_with}"] if compared_with else []
    table = [header] + [_cells(row, compared_with) for row in rows]
    widths = _widths(table, width)
    layout = Layout(style)
    lines = [_line(layout, header, widths), _line(layout, ["─" * w for w in widths], widths)]
    for row, texts in zip(rows, table[1:], strict=True):
        lines.append(_line(layout, texts, widths, MARK_COLOURS.get(row.status, "")))
    return "\n".join([*lines, "", cells.totals(rows)]) + "\n"


def _cells(row: Row, compared_with: str | None) -> list[str]:
    texts = [row.learner, str(row.stage or "—"), cells.score(row), cells.advisory_score(row)]
    texts += [row.status, cells.to_work_on(row)]
    texts += [cells.progress(row, dated=False)] if compared_with else []  # header: since
    return [" ".join(printable(text).split()) for text in texts]


def _widths(table: list[list[str]], width: int) -> list[int]:
    """Each column as wide as its widest cell, the learner's name at most a sixth of the
    terminal; the last one or two share what is left, progress as far as "no progress for
    3 runs" at least. On a narrow terminal the name gives way."""
    natural = [max(_width(line[column]) for line in table) for column in range(len(table[0]))]
    fixed, flexible = natural[:5], natural[5:]
    fixed[0] = min(fixed[0], max(LEARNER_MIN, width // 6))
    wanted = [FLEXIBLE_MIN, *(min(n, PROGRESS_MIN) for n in flexible[1:])]
    room = width - sum(fixed) - len(GAP) * (len(natural) - 1)
    given = max(0, min(sum(wanted) - room, fixed[0] - LEARNER_MIN))
    fixed[0], room = fixed[0] - given, room + given
    if sum(flexible) <= room:
        return fixed + flexible
    if len(flexible) == 1:
        return [*fixed, max(FLEXIBLE_MIN, room)]
    # the narrower of the two gets its width, as far as half the room; the other the rest
    short, long = (0, 1) if flexible[0] < flexible[1] else (1, 0)
    widths = [0, 0]
    long_floor = max(wanted[long], (room + 1) // 2)
    widths[short] = max(wanted[short], min(flexible[short], room - long_floor))
    widths[long] = max(wanted[long], room - widths[short])
    return fixed + widths


def _line(layout: Layout, texts: list[str], widths: list[int], status_sgr: str = "") -> str:
    fitted = [_fit(text, room) for text, room in zip(texts, widths, strict=True)]
    status = texts[4]  # never cut: its column is as wide as its widest word
    fitted[4] = layout.paint(status, status_sgr) + fitted[4][len(status) :]
    return GAP.join(fitted).rstrip()


def _fit(text: str, room: int) -> str:
    """`text` in exactly `room` columns: padded, or cut with … where it was cut."""
    if _width(text) > room:
        kept, used = "", 0
        for char in text:
            if used + _width(char) > room - 1:
                break
            kept, used = kept + char, used + _width(char)
        text = kept + "…"
    return text + " " * (room - _width(text))


def _width(text: str) -> int:
    """Columns `text` takes in a terminal: wide (CJK, most emoji) 2, combining marks 0."""
    return sum(
        0
        if unicodedata.category(char) in ("Mn", "Me", "Cf")
        else 2
        if unicodedata.east_asian_width(char) in "WF"
        else 1
        for char in text
    )
