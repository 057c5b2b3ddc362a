"""Progress since an earlier run: which checks pass now that did not then, per learner."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
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
        """The same repo; else the same name, for a learner whose folder moved, or the same
        folder name, for a cohort.json from before rows had keys. A name counts only when
        one learner alone carries it, then and now."""
        if row.key in self.by_key:
            return self.by_key[row.key]
        if sum(r.learner == row.learner for r in now) == 1 and row.learner in self.by_learner:
            return self.by_learner[row.learner]
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
        by_learner=_unique_by("learner", rows),
        by_repo=_unique_by("repo", [r for r in rows if "key" not in r]),
    )


def compare(rows: list[Row], earlier: Earlier) -> list[Row]:
    """Each row with the checks it passes now and did not then; a learner with none is
    flagged. A learner the earlier run did not have is left alone."""
    compared = []
    for row in rows:
        then = earlier.find(row, rows)
        if then is None:
            compared.append(row)
            continue
        if isinstance(then.get("passing"), list):
            new = [c for c in row.passing if c not in then["passing"]]
        else:  # a cohort.json from before `passing` was written: it listed failures only
            failing = then.get("failing")
            new = [c for c in row.passing if isinstance(failing, list) and c in failing]
        stuck = None if new else earlier.date
        compared.append(replace(row, newly_passing=new, no_progress_since=stuck))
    return compared


def _unique_by(field: str, rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    counts = Counter(str(r[field]) for r in rows if r.get(field))
    return {str(r[field]): r for r in rows if r.get(field) and counts[str(r[field])] == 1}


def _date(rows: list[dict[str, Any]], file: Path) -> str:
    """When the earlier run happened: as it recorded, or else when its file was written."""
    graded = next((str(r["graded"]) for r in rows if r.get("graded")), "")
    if graded:
        return graded[:10]
    return dt.date.fromtimestamp(file.expanduser().stat().st_mtime).isoformat()
