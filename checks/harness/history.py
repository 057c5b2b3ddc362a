"""What changed since the previous run: its results.json, read before this run replaces it.

Only the checker's own report folder is read, never anything in the learner's repository.
A previous run of another project, repository or stage, or of other checks (--only), or a
file that is not a results.json the checker wrote, is no comparison at all: it is ignored.
A results.json written before ADR 14 (the roadmap's statuses in `status`) still compares.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checks.harness.results import Run
from checks.report import exercism

NOT_PASSING = {"fail", "error", "blocked"}


@dataclass(frozen=True)
class Change:
    """The required checks that changed between the previous run and this one."""

    newly_passing: tuple[str, ...]
    newly_failing: tuple[str, ...]  # passed last time: a regression
    # Failed on their own last time, blocked by another check now: the learner fixed what
    # was theirs and the check got as far as a step that still fails. Progress, not news.
    newly_reached: tuple[str, ...] = ()


def read(results_json: Path) -> dict[str, Any] | None:
    """The previous run's results.json, or None when there is none or it cannot be read."""
    try:
        document = json.loads(results_json.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return document if isinstance(document, dict) else None


def compare(previous: dict[str, Any] | None, run: Run) -> Change | None:
    """How `run` differs from the previous run of the same checks of the same project,
    repository and stage; None when there is no such run to compare with."""
    if previous is None or run.error or not _same_project(previous, run):
        return None
    before = _statuses(previous)
    if set(before) != {result.check.id for result in run.results}:
        return None  # other checks (--only, or a course that has grown): not comparable
    passing, failing, reached = [], [], []
    for result in run.required:
        was = before[result.check.id]
        if result.passed and was != "pass":
            passing.append(result.check.id)
        elif was == "pass" and result.status in NOT_PASSING:
            failing.append(result.check.id)
        elif was in ("fail", "error") and result.status == "blocked":
            reached.append(result.check.id)
    return Change(tuple(passing), tuple(failing), tuple(reached))


def _same_project(previous: dict[str, Any], run: Run) -> bool:
    return (
        previous.get("version") == 3
        and previous.get("project") == run.project
        and previous.get("repo") == run.repo
        and previous.get("stage") == run.stage
    )


def _statuses(document: dict[str, Any]) -> dict[str, str]:
    """The roadmap status of every check the previous run holds, by check id."""
    return {
        check["id"]: status
        for check in exercism.checks_of(document)
        if isinstance(check.get("id"), str)
        and isinstance(status := exercism.roadmap_status(check), str)
    }
