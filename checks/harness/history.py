"""What changed since the previous run: its results.json, read before this run replaces it.

Only the checker's own report folder is read, never anything in the learner's repository.
A previous run of another project, repository or stage, or a file that is not a
results.json the checker wrote, is no comparison at all: it is ignored. A run with --only
compares the checks it chose, when the previous run had them; its reports replace a whole
run's, so that run's results.json is kept aside (FULL_RUN) for the next whole run to
compare with. A results.json written before ADR 14 (the roadmap's statuses in `status`)
still compares.
"""

from __future__ import annotations

import contextlib
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


FULL_RUN = ".last-full-run.json"  # beside the reports: the last whole run, while --only runs


def previous(report_dir: Path) -> list[dict[str, Any]]:
    """The runs this one may compare with, nearest first: the last run, then the last
    whole run when runs with --only came after it."""
    found = [read(report_dir / "results.json"), read(report_dir / FULL_RUN)]
    return [document for document in found if document is not None]


def keep(report_dir: Path, previous: list[dict[str, Any]], run: Run) -> None:
    """Once this run's reports are written: a run with --only keeps the last whole run
    aside (it has just replaced its reports); a whole run has no need of it any more."""
    kept = report_dir / FULL_RUN
    whole = next((document for document in previous if not _partial(document)), None)
    with contextlib.suppress(OSError):  # a comparison the next run goes without
        if not run.partial:
            kept.unlink(missing_ok=True)
        elif whole is not None:
            kept.write_text(json.dumps(whole), "utf-8")


def read(results_json: Path) -> dict[str, Any] | None:
    """The previous run's results.json, or None when there is none or it cannot be read."""
    try:
        document = json.loads(results_json.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return document if isinstance(document, dict) else None


def compare(previous: list[dict[str, Any]], run: Run) -> Change | None:
    """How `run` differs from the first of the `previous` runs (`previous()`) that ran the
    same checks of the same project, repository and stage (for a run with --only: that ran
    at least the chosen ones); None when there is none."""
    if run.error:
        return None
    ran = {result.check.id for result in run.results}
    for document in previous:
        if not _same_project(document, run):
            continue
        before = _statuses(document)
        if before.keys() == ran or (run.partial and before.keys() >= ran):
            return _change(before, run)
    return None  # other checks, or a course that has grown: not comparable


def _change(before: dict[str, str], run: Run) -> Change:
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


def _partial(document: dict[str, Any]) -> bool:
    return document.get("partial") is True
