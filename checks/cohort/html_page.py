"""cohort.html: the cohort table as one self-contained page that sorts by any column.

No network: the style and the few lines of script are inline, so the page works from a
zip file or a CI artifact. Every text from a learner's repo is escaped.
"""

from __future__ import annotations

from html import escape

from checks.cohort import cells
from checks.cohort.rows import Row

STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; }
th, td { border-bottom: 1px solid #ddd; padding: .35em .7em; text-align: left; }
th { cursor: pointer; user-select: none; background: #f4f4f4; }
th[data-order=up]::after { content: " ▲"; }
th[data-order=down]::after { content: " ▼"; }
td.error { color: #a00; } td.fail { color: #a60; } td.pass { color: #070; }
"""

# Click a header to sort by it; click again to reverse. Numbers sort as numbers, and a
# cell's data-sort (a score, a date) wins over its text.
SCRIPT = """
document.querySelectorAll("th").forEach((th, column) => th.addEventListener("click", () => {
  const up = th.dataset.order !== "up";
  document.querySelectorAll("th").forEach(other => delete other.dataset.order);
  th.dataset.order = up ? "up" : "down";
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
    head = "".join(f"<th>{escape(h)}</th>" for h in cells.headers(compared_with))
    body = "\n".join(_row(row, compared_with) for row in rows)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Cohort</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<h1>Cohort</h1>\n<p>{len(rows)} learners. Click a column to sort by it.</p>\n"
        f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>\n"
        f"<script>{SCRIPT}</script>\n</body>\n</html>\n"
    )


def _row(row: Row, compared_with: str | None) -> str:
    # fewest passing first, and a repo that could not be checked before them all
    by_score = row.passed if row.status != "error" else -1
    report = f'<a href="{escape(row.report)}">report.md</a>' if row.report else "—"
    line = [
        _td(row.learner),
        _td(str(row.stage or "—"), sort=str(row.stage or 0)),
        _td(cells.score(row), sort=str(by_score)),
        f'<td class="{escape(row.status)}">{escape(row.status)}</td>',
        _td(cells.to_work_on(row)),
        _td(row.commit or "—"),
        _td(row.date or "—", sort=row.date),
        f"<td>{report}</td>",
    ]
    if compared_with:
        gained = len(row.newly_passing) if row.newly_passing is not None else -1
        line.append(_td(cells.progress(row), sort=str(gained)))
    return "<tr>" + "".join(line) + "</tr>"


def _td(text: str, sort: str | None = None) -> str:
    attribute = f' data-sort="{escape(sort)}"' if sort is not None else ""
    return f"<td{attribute}>{escape(text)}</td>"
