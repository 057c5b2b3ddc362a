"""The course as the site reads it: stages and checks, from the checkout the site is built from."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

# Every module reads it as `course.ROOT` when it renders, so a test can point it elsewhere.
ROOT = Path(__file__).resolve().parents[2]


def catalog() -> Any:
    # Imported when asked: `checks` is importable only once on_config has put ROOT on
    # sys.path, and on_pre_build drops the stage packages so a rebuild sees reworded checks.
    return importlib.import_module("checks.harness.catalog")


def stage_named(slug: str | None) -> Any:
    for known in catalog().STAGES.values():
        if known.slug == slug:
            return known
    slugs = ", ".join(s.slug for s in catalog().STAGES.values())
    raise PluginError(f"no stage {slug!r} in checks/harness/catalog.py (known: {slugs})")


def checks_of(stage: Any) -> list[Any]:
    """The stage's checks in rubric order; none while its package is not written."""
    return [check for check in catalog().all_checks() if check.stage.number == stage.number]


def stage_folder(stage: Any) -> Path:
    return ROOT / "stages" / str(stage.slug)


def worded(text: str) -> str:
    """A check's words as the default preset reads them (`{record}` → expense)."""
    from checks.harness import wording

    return wording.render(text)
