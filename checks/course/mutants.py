"""Mutants: small patches that each put one realistic defect into a stage's reference.

A mutant file is a unified diff with a header naming the check that must catch it:

    Caught-by: 01-cli/summary
    Defect: the summary counts records instead of adding their amounts.
    Commit: optional; a commit message, for defects that live in the git history
    Reverted: optional, with Commit; then undo the change in a second commit with this
        message, so the defect lives only in the history (a secret added, then deleted)

    diff --git a/src/expense_tracker/summary.py b/src/expense_tracker/summary.py
    ...
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from checks.course.paths import CourseError, stage_dir
from checks.course.reference import GIT_IDENTITY
from checks.harness.catalog import STAGES, Stage


@dataclass(frozen=True)
class Mutant:
    path: Path
    stage: Stage
    caught_by: str
    defect: str
    commit: str | None = None  # commit the change with this message (history defects)
    reverted: str | None = None  # then commit its undoing with this message

    @property
    def name(self) -> str:
        return f"{self.stage.slug}/{self.path.stem}"

    def apply(self, project: Path) -> None:
        """Patch `project` (a copy of the stage's reference) with this mutant's defect."""
        result = subprocess.run(
            ["git", "apply", "--whitespace=nowarn", str(self.path)],
            cwd=project,
            capture_output=True,
            text=True,
        )
        # git apply can exit 0 yet skip a corrupt binary hunk, saying so only on stderr.
        if result.returncode != 0 or "error:" in result.stderr:
            raise CourseError(f"mutant {self.name} does not apply: {result.stderr.strip()}")
        if self.commit:
            _commit_all(project, self.commit)
        if self.reverted:
            undo = ["git", "apply", "--reverse", "--whitespace=nowarn", str(self.path)]
            subprocess.run(undo, cwd=project, check=True, capture_output=True)
            _commit_all(project, self.reverted)


def _commit_all(project: Path, message: str) -> None:
    for args in (["add", "--all"], [*GIT_IDENTITY, "commit", "-q", "-m", message]):
        subprocess.run(["git", *args], cwd=project, check=True, capture_output=True)


def load(path: Path, stage: Stage) -> Mutant:
    text = path.read_text("utf-8")
    preamble = text.split("diff --git")[0]
    header = dict(re.findall(r"^(Caught-by|Defect|Commit|Reverted):\s*(.+)$", preamble, re.M))
    if "Caught-by" not in header or "Defect" not in header:
        raise CourseError(f"{path} needs 'Caught-by:' and 'Defect:' lines before the diff")
    commit = header.get("Commit", "").strip() or None
    reverted = header.get("Reverted", "").strip() or None
    if reverted and not commit:
        raise CourseError(f"{path}: 'Reverted:' undoes a commit, so it needs a 'Commit:' line")
    caught_by, defect = header["Caught-by"].strip(), header["Defect"].strip()
    return Mutant(path, stage, caught_by, defect, commit, reverted)


def of_stage(stage: Stage) -> list[Mutant]:
    folder = stage_dir(stage) / "mutants"
    return [load(path, stage) for path in sorted(folder.glob("*.patch"))]


def every_mutant() -> list[Mutant]:
    return [mutant for stage in STAGES.values() for mutant in of_stage(stage)]
