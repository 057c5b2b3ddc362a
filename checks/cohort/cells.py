"""The words in the cohort table's cells, the same in the terminal, cohort.md and
cohort.html."""

from __future__ import annotations

from collections import Counter

from checks.cohort.rows import Row

STATUSES = ("pass", "fail", "error")


def headers(compared_with: str | None) -> list[str]:
    columns = ["learner", "stage", "required passing", "advisory passing", "status"]
    columns += ["first failing check", "commit", "date", "report"]
    return [*columns, f"since {compared_with}"] if compared_with else columns


def score(row: Row) -> str:
    return f"{row.passed}/{row.required}" if row.required else "—"


def advisory_score(row: Row) -> str:
    return f"{row.advisory_passed}/{row.advisory}" if row.advisory else "—"


def advisory_failing(row: Row, code: str = "") -> str:
    """The advisory checks that failed, marked as the rubric marks them: `✗ id, ✗ id`."""
    return ", ".join(f"✗ {code}{check}{code}" for check in row.advisory_failing)


def to_work_on(row: Row) -> str:
    """The first failing check, or why the repo could not be checked at all."""
    return row.first_failing or row.message or "—"


def progress(row: Row, dated: bool = True) -> str:
    """With --compare: what moved since, in a few words; or for how long nothing has (and,
    `dated`, since when)."""
    if row.newly_passing is None:
        return "new in this run"
    if row.runs_without_progress:
        runs = row.runs_without_progress
        since = f" (since {row.no_progress_since})" if dated else ""
        return f"no progress for {runs} run{'s' if runs > 1 else ''}{since}"
    moved = ["complete"] if row.status == "pass" else []
    if row.moved_up_from is not None:
        moved.append(f"up from stage {row.moved_up_from}")
    if row.newly_passing:
        moved.append(f"+{len(row.newly_passing)}: {', '.join(row.newly_passing)}")
    return "; ".join(moved) or "no progress"


def totals(rows: list[Row]) -> str:
    """How the cohort stands in one line: `8 learners: 4 pass · 3 fail · 1 error`."""
    counts = Counter(row.status for row in rows)
    learners = f"{len(rows)} learner{'' if len(rows) == 1 else 's'}"
    return f"{learners}: " + " · ".join(f"{counts[status]} {status}" for status in STATUSES)
