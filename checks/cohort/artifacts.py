"""Grade a cohort from the reports its learners' CI already wrote, without checking again.

Each learner's CI uploads its `roadmap-report` folder; the mentor downloads one per
subfolder of a folder (`gh run download … -D artifacts/ada`) and aggregates them here.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from checks.cohort.rows import Row, stuck_first
from checks.cohort.sources import InputError


def collect(folder: Path, report_dir: Path, graded: str = "") -> list[Row]:
    """One row per results.json under `folder`; the learner is its top subfolder's name."""
    root = folder.expanduser().resolve()
    if not root.is_dir():
        raise InputError(f"{folder} is not a folder; give the folder the artifacts are in")
    found = sorted(root.rglob("results.json"))
    if not found:
        raise InputError(
            f"no results.json under {folder}; download each learner's roadmap-report "
            "artifact into a subfolder of it"
        )
    rows = [_row(path, root, report_dir.resolve(), graded) for path in found]
    return sorted(rows, key=stuck_first)


def _row(path: Path, root: Path, report_dir: Path, graded: str) -> Row:
    where = path.parent.relative_to(root)
    learner = where.parts[0] if where.parts else root.name
    report = path.parent / "report.md"
    facts: dict[str, Any] = {
        "key": where.as_posix(),
        "learner": learner,
        # a link from the cohort's report folder to the report the learner's CI wrote
        "report": Path(os.path.relpath(report, report_dir)).as_posix() if report.is_file() else "",
        "graded": graded,
    }
    try:
        results = json.loads(path.read_text("utf-8"))
        if not isinstance(results, dict):
            raise ValueError("it holds no JSON object")
    except (OSError, ValueError) as error:
        why = f"{path} could not be read ({error}); download it again"
        return Row.unchecked(why, repo=learner, **facts)
    return Row.from_results(results, repo=str(results.get("repo") or learner), **facts)
