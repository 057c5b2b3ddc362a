"""Where the course's sources live in a checkout."""

from __future__ import annotations

from pathlib import Path

from checks.harness.catalog import STAGES, Stage

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "template"
STAGES_DIR = ROOT / "stages"


class CourseError(Exception):
    """A course command was asked for something that does not exist; the message says what."""


def stage_dir(stage: Stage) -> Path:
    return STAGES_DIR / stage.slug


def require_checkout() -> None:
    if not TEMPLATE.is_dir() or not STAGES_DIR.is_dir():
        raise CourseError(
            f"{ROOT} is not a checkout of the course (no template/ or stages/); "
            "clone the repository and run this from there"
        )


def finished_stages() -> list[Stage]:
    """Stages with both checks and a reference: the ones the course can prove today."""
    return [s for s in STAGES.values() if s.written and (stage_dir(s) / "reference").is_dir()]
