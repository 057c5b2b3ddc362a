"""The words in the cohort table's cells, the same in cohort.md and cohort.html."""

from __future__ import annotations

from checks.cohort.rows import Row


def headers(compared_with: str | None) -> list[str]:
    columns = ["learner", "stage", "required passing", "status", "first failing check"]
    columns += ["commit", "date", "report"]
    return [*columns, f"since {compared_with}"] if compared_with else columns


def score(row: Row) -> str:
    return f"{row.passed}/{row.required}" if row.required else "—"


def to_work_on(row: Row) -> str:
    """The first failing check, or why the repo could not be checked at all."""
    return row.first_failing or row.message or "—"


def progress(row: Row) -> str:
    """With --compare: what this learner got passing since, in a few words."""
    if row.newly_passing is None:
        return "new in this run"
    if row.no_progress_since:
        return f"no progress since {row.no_progress_since}"
    return f"+{len(row.newly_passing)}: {', '.join(row.newly_passing)}"
