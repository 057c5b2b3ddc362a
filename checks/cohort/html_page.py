"""cohort.html: the cohort table as one self-contained page that sorts by any column.

No network: the style and the few lines of script are inline, so the page works from a
zip file or a CI artifact. Every text from a learner's repo is escaped. Nothing breaks
mid-word: dates, scores and commits never wrap, and a check id wraps only after a `/`.
"""

from __future__ import annotations

import re
from html import escape

from checks.cohort import cells
from checks.cohort.rows import Row

SORTED_BY = "required passing"  # the order rows are written in: the stuck first

STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; }
th, td { border-bottom: 1px solid #ddd; padding: .35em .7em; text-align: left; }
th { cursor: pointer; user-select: none; background: #f4f4f4; white-space: nowrap; }
th[aria-sort=ascending]::after { content: " ▲"; }
th[aria-sort=descending]::after { content: " ▼"; }
.w { white-space: nowrap; }
td.error { color: #a00; } td.fail { color: #a60; } td.pass { color: #070; }
"""

# Click a header to sort by it; click again to reverse. Numbers sort as numbers, and a
# cell's data-sort (a score, a date) wins over its text. aria-sort says which column the
# rows are sorted by, and the style draws its arrow.
SCRIPT = """
document.querySelectorAll("th").forEach((th, column) => th.addEventListener("click", () => {
  const up = th.getAttribute("aria-sort") !== "ascending";
  document.querySelectorAll("th").forEach(other => other.removeAttribute("aria-sort"));
  th.setAttribute("aria-sort", up ? "ascending" : "descending");
  const key = row => row.cells[column].dataset.sort ?? row.cells[column].textContent;
  const body = th.closest("table").tBodies[0];
  const rows = [...body.rows].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    const numbers = x !== "" && y !== "" && !isNaN(x) && !isNaN(y);
    return (up ? 1 : -1) * (numbers ? x - y : x.localeCompare(y));
  });
  body.append(...rows);
}));
"""


def render(rows: list[Row], compared_with: str | None) -> str:
    head = "".join(_th(h) for h in cells.headers(compared_with))
    body = "\n".join(_row(row, compared_with) for row in rows)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Cohort</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<h1>Cohort</h1>\n<p>{escape(cells.totals(rows))}. "
        "The stuck come first; click a column to sort by it.</p>\n"
        f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>\n"
        f"<script>{SCRIPT}</script>\n</body>\n</html>\n"
    )


def _th(header: str) -> str:
    order = ' aria-sort="ascending"' if header == SORTED_BY else ""
    return f"<th{order}>{escape(header)}</th>"


def _row(row: Row, compared_with: str | None) -> str:
    # fewest passing first, and a repo that could not be checked before them all
    by_score = row.passed if row.status != "error" else -1
    report = f'<a href="{escape(row.report)}">report.md</a>' if row.report else "—"
    advisory = _whole(cells.advisory_score(row))
    if row.advisory_failing:
        advisory += f" ({_words(cells.advisory_failing(row))})"
    line = [
        _td(_words(row.learner)),
        _td(_whole(str(row.stage or "—")), sort=str(row.stage or 0)),
        _td(_whole(cells.score(row)), sort=str(by_score)),
        _td(advisory, sort=str(row.advisory_passed if row.advisory else -1)),
        _td(escape(row.status), css=row.status),
        _td(_words(cells.to_work_on(row))),
        _td(_whole(row.commit or "—")),
        _td(_whole(row.date or "—"), sort=row.date),
        _td(report),
    ]
    if compared_with:
        line.append(_td(_words(cells.progress(row)), sort=str(_moved(row))))
    return "<tr>" + "".join(line) + "</tr>"


def _moved(row: Row) -> int:
    """How far a learner moved, for sorting: the longest stuck lowest, new learners at 0."""
    if row.runs_without_progress:
        return -row.runs_without_progress
    return len(row.newly_passing or ()) + (row.moved_up_from is not None)


def _td(html: str, sort: str | None = None, css: str = "") -> str:
    attributes = f' class="{escape(css)}"' if css else ""
    attributes += f' data-sort="{escape(sort)}"' if sort is not None else ""
    return f"<td{attributes}>{html}</td>"


def _whole(text: str) -> str:
    """Text that never wraps: a date, a score, a commit."""
    return f'<span class="w">{escape(text)}</span>'


def _words(text: str) -> str:
    """Text that wraps only between words, and within one only after a `/` (a check id
    such as `01-cli/add-then-list`, a URL), never at a hyphen."""
    return " ".join(_word(word) for word in text.split())


def _word(word: str) -> str:
    if len(word) == 1 or re.fullmatch(r"\w*", word):
        return escape(word)  # nothing inside it that a browser would break at
    pieces = re.findall(r"[^/]*/|[^/]+", word)  # each ends at its `/`
    return "<wbr>".join(_whole(piece) for piece in pieces)
