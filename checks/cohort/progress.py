"""Progress since an earlier run: which checks pass now that did not then, per learner, and
for how many runs in a row a learner has moved nothing.

The cohort's history lives in its cohort.json files: each row carries how many runs it has
stood still and since when, so comparing with last week's file is enough to count weeks.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from checks.cohort.rows import Row
from checks.cohort.sources import InputError


@dataclass(frozen=True)
class Earlier:
    """The rows of an earlier cohort.json, found by learner."""

    date: str  # YYYY-MM-DD
    by_key: dict[str, dict[str, Any]]
    by_learner: dict[str, dict[str, Any]]  # only names that one learner alone carries
    by_repo: dict[str, dict[str, Any]]  # the same, for folder names

    def find(self, row: Row, now: list[Row]) -> dict[str, Any] | None:
        """The same repo; else the same name (case aside), for a learner whose folder moved
        or who was graded from folders one week and from CI artifacts the next; else the same
        folder name, for a cohort.json from before rows had keys. A name counts only when
        one learner alone carries it, then and now."""
        if row.key in self.by_key:
            return self.by_key[row.key]
        name = row.learner.casefold()
        if sum(r.learner.casefold() == name for r in now) == 1 and name in self.by_learner:
            return self.by_learner[name]
        if sum(r.repo == row.repo for r in now) == 1:
            return self.by_repo.get(row.repo)
        return None


def load(file: Path) -> Earlier:
    try:
        rows = json.loads(file.expanduser().read_text("utf-8"))
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise ValueError("it is not a list of rows")
    except (OSError, ValueError) as error:
        why = getattr(error, "strerror", None) or error
        fix = "give a cohort.json from an earlier run"
        raise InputError(f"cannot read {file} ({why}); {fix}") from None
    return Earlier(
        date=_date(rows, file),
        by_key={str(r["key"]): r for r in rows if "key" in r},
        by_learner=_unique_by("learner", rows, str.casefold),
        by_repo=_unique_by("repo", [r for r in rows if "key" not in r]),
    )


def compare(rows: list[Row], earlier: Earlier) -> list[Row]:
    """Each row with what moved since the earlier run: the checks it passes now and did
    not then, or a higher stage. A row that moved nothing counts one more run without
    progress than the earlier row did; one that passes is complete, not stuck. A learner
    the earlier run did not have is left alone."""
    compared = []
    for row in rows:
        then = earlier.find(row, rows)
        compared.append(row if then is None else _since(row, then, earlier.date))
    return compared


def _since(row: Row, then: dict[str, Any], date: str) -> Row:
    """`row` against its earlier self `then`, from the run of `date`."""
    if isinstance(then.get("passing"), list):
        new = [c for c in row.passing if c not in then["passing"]]
    else:  # a cohort.json from before `passing` was written: it listed failures only
        failing = then.get("failing")
        new = [c for c in row.passing if isinstance(failing, list) and c in failing]
    stage_then = then.get("stage")
    higher = isinstance(stage_then, int) and (row.stage or 0) > stage_then
    moved = replace(row, newly_passing=new, moved_up_from=stage_then if higher else None)
    if new or higher or row.status == "pass":
        return moved
    runs = then.get("runs_without_progress")
    if not isinstance(runs, int):  # a first stand-still, or a file from before runs counted
        runs = 1 if then.get("no_progress_since") else 0
    since = then.get("no_progress_since") or date
    return replace(moved, runs_without_progress=runs + 1, no_progress_since=str(since))


def _unique_by(
    field: str, rows: list[dict[str, Any]], fold: Callable[[str], str] = str
) -> dict[str, dict[str, Any]]:
    counts = Counter(fold(str(r[field])) for r in rows if r.get(field))
    return {
        fold(str(r[field])): r for r in rows if r.get(field) and counts[fold(str(r[field]))] == 1
    }


def _date(rows: list[dict[str, Any]], file: Path) -> str:
    """When the earlier run happened: as it recorded, or else when its file was written."""
    graded = next((str(r["graded"]) for r in rows if r.get("graded")), "")
    if graded:
        return graded[:10]
    return dt.date.fromtimestamp(file.expanduser().stat().st_mtime).isoformat()
