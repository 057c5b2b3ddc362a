"""The cohort summary in every form a mentor uses: cohort.md to read, cohort.csv for a
spreadsheet, cohort.json for scripts (and the next --compare), cohort.html to sort."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from urllib.parse import quote

from checks.cohort import cells, html_page
from checks.cohort.rows import Row

CSV_COLUMNS = (
    "learner",
    "stage",
    "passed",
    "required",
    "advisory_passed",
    "advisory",
    "advisory_failing",
    "status",
    "first_failing",
    "commit",
    "date",
    "report",
    "newly_passing",
    "moved_up_from",
    "runs_without_progress",
    "no_progress_since",
    "message",
    "key",
)
LISTS = ("advisory_failing", "newly_passing")  # check ids, separated by spaces in a cell


def write_all(rows: list[Row], folder: Path, compared_with: str | None) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = {
        "cohort.md": markdown(rows, compared_with),
        "cohort.csv": spreadsheet(rows),
        "cohort.json": json.dumps([row.to_json() for row in rows], indent=2) + "\n",
        "cohort.html": html_page.render(rows, compared_with),
    }
    for name, text in written.items():
        (folder / name).write_text(text, encoding="utf-8", newline="")
    return [folder / name for name in written]


def markdown(rows: list[Row], compared_with: str | None) -> str:
    columns = cells.headers(compared_with)
    lines = ["# Cohort", "", cells.totals(rows), ""]
    lines += [_md_row(columns), _md_row(["---"] * len(columns))]
    for row in rows:
        first = f"`{row.first_failing}`" if row.first_failing else _cell(cells.to_work_on(row))
        advisory = cells.advisory_score(row)
        if row.advisory_failing:
            advisory += f" ({cells.advisory_failing(row, code='`')})"
        line = [_cell(row.learner), str(row.stage or "—"), cells.score(row), advisory]
        line += [row.status, first, f"`{row.commit}`" if row.commit else "—", row.date or "—"]
        line.append(f"[report.md]({quote(row.report)})" if row.report else "—")
        if compared_with:
            line.append(_cell(cells.progress(row)))
        lines.append(_md_row(line))
    return "\n".join(lines) + "\n"


def spreadsheet(rows: list[Row]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        values = row.to_json()
        for name in LISTS:
            if values[name] is not None:
                values[name] = " ".join(values[name])
        writer.writerow({k: _inert(v) for k, v in values.items()})
    return out.getvalue()


def _inert(value: object) -> object:
    """A learner chooses their git name: one that starts like a formula (`=HYPERLINK(…)`)
    must stay text when the mentor opens the file in a spreadsheet."""
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + value
    return value


def _md_row(values: list[str]) -> str:
    return "| " + " | ".join(values) + " |"


def _cell(text: str) -> str:
    """Text that cannot break the table: no pipes, no line breaks."""
    return " ".join(text.split()).replace("|", "\\|")
