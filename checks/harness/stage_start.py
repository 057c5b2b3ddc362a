"""Starting a stage: its manifest table, graded as the stage's first check.

A learner who sets `stage = N` before adding stage N's table has started the stage, not
broken their repository. The run grades every earlier stage as before; stage N's
`manifest-table` check fails with the table to paste, in the learner's own names; the
rest of stage N (and any later stage) is blocked by it, listed so the learner sees what
the stage holds, and the run ends with `Next:` naming it (exit 1, not 2).
"""

from __future__ import annotations

from checks.harness.catalog import DOCS_URL, STAGES, all_checks
from checks.harness.failure import CheckFailed
from checks.harness.manifest import Manifest
from checks.harness.manifest.examples import TABLES, stage_table
from checks.harness.results import CheckResult

SLUG = "manifest-table"


def check_id(stage: int) -> str:
    return f"{STAGES[stage].slug}/{SLUG}"


def require_table(manifest: Manifest, stage: int) -> None:
    """Fail, with the table to add, when stage `stage` is the first one the manifest
    cannot drive."""
    missing = manifest.missing_table(stage)
    if missing is None or missing[0] != stage:
        return
    brief = f"{DOCS_URL}/stages/{STAGES[stage].slug}/"
    raise CheckFailed(
        f"your manifest has no {TABLES[stage]} yet: stage {stage} starts with it",
        got=missing[1].split(";")[0],
        expected=f"{TABLES[stage]} in pyproject.toml, saying how the checker drives what "
        f"stage {stage} builds",
        fix=f"add this to pyproject.toml, with your own names where they differ, then "
        f"build milestone 1 of the brief ({brief}):\n{stage_table(manifest, stage)}",
    )


def blocked_behind(stage: int, through: int, only: tuple[str, ...]) -> list[CheckResult]:
    """The results of the checks of stages `stage`..`through` that stand on stage
    `stage`'s table: blocked by its manifest check, without running."""
    root = check_id(stage)
    return [
        CheckResult(check, "blocked", step=root, blocked_by=root)
        for check in all_checks(through=through)
        if stage <= check.stage.number and check.id != root and (not only or check.id in only)
    ]
