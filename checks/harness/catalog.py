"""What a check is: a stable id, a stage, required or advisory, and the words a learner reads.

A check is a function in `checks/stage_NN_slug/check_*.py` marked with `@check("slug")`.
Its docstring's first line is the criterion; a `Why:` paragraph says why it matters and a
`Fix:` paragraph says how to fix a failure. The stage's package says which milestone of the
brief each check grades (its MILESTONES). Reports and the docs site read them from here,
so what is graded and what is documented cannot drift apart.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest

DOCS_URL = "https://backend-roadmap.github.io/backend-roadmap"
CHECKS_DIR = Path(__file__).resolve().parent.parent

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Milestone:
    """A part of a stage's brief: its "### N. title" heading under "## Milestones"."""

    number: int
    title: str

    def __str__(self) -> str:
        return f"Milestone {self.number} · {self.title}"


@dataclass(frozen=True)
class Stage:
    number: int
    slug: str  # "01-cli": folder names, check ids and docs pages all use it
    title: str

    @property
    def package(self) -> str:
        return "stage_" + self.slug.replace("-", "_")

    @property
    def folder(self) -> Path:
        return CHECKS_DIR / self.package

    @property
    def written(self) -> bool:
        return self.folder.is_dir()

    def check_files(self) -> list[Path]:
        """The stage's check modules, in the order its rubric lists them (its MODULES)."""
        order: tuple[str, ...] = importlib.import_module(f"checks.{self.package}").MODULES
        return [self.folder / f"check_{name}.py" for name in order]

    def milestones(self) -> dict[int, tuple[Milestone, tuple[str, ...]]]:
        """The brief's milestones with the slugs of the checks that grade each (MILESTONES
        in the stage's package); none for a stage that does not declare them."""
        declared: dict[int, tuple[str, tuple[str, ...]]] = getattr(
            importlib.import_module(f"checks.{self.package}"), "MILESTONES", {}
        )
        return {n: (Milestone(n, title), tuple(slugs)) for n, (title, slugs) in declared.items()}

    def milestone_of(self, slug: str) -> Milestone | None:
        return next((m for m, slugs in self.milestones().values() if slug in slugs), None)


STAGES = {
    stage.number: stage
    for stage in (
        Stage(1, "01-cli", "A packaged command-line tool"),
        Stage(2, "02-layers", "Layers on SQLite"),
        Stage(3, "03-api", "A FastAPI web API"),
        Stage(4, "04-auth", "Users, auth and PostgreSQL"),
        Stage(5, "05-quality", "Tests, config and reliability"),
        Stage(6, "06-deploy", "Deployment"),
        Stage(7, "07-jobs", "Background jobs (capstone)"),
    )
}


@dataclass(frozen=True)
class Check:
    id: str  # "01-cli/add-then-list": stable, used by reports, docs anchors and mutants
    stage: Stage
    required: bool
    criterion: str
    why: str
    fix: str
    needs: tuple[str, ...] = ()  # the fixtures it asks for, e.g. "seeded"
    milestone: Milestone | None = None  # the part of the brief that builds what it grades

    @property
    def anchor(self) -> str:
        return self.id.replace("/", "-")

    @property
    def docs_url(self) -> str:
        return f"{DOCS_URL}/stages/{self.stage.slug}/#{self.anchor}"


def check(slug: str, *, advisory: bool = False) -> Callable[[F], F]:
    """Mark a function as the check `slug` of the stage whose folder holds it."""
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug):
        raise ValueError(f"check slug {slug!r} must be lowercase words joined by hyphens")
    return pytest.mark.roadmap(slug=slug, advisory=advisory)


def describe(function: Callable[..., Any], slug: str, advisory: bool) -> Check:
    """Build a check's description from where it lives and its docstring."""
    stage = stage_of_module(function.__module__)
    criterion, why, fix = parse_docstring(inspect.getdoc(function) or "")
    needs = tuple(inspect.signature(function).parameters)
    milestone = stage.milestone_of(slug)
    return Check(f"{stage.slug}/{slug}", stage, not advisory, criterion, why, fix, needs, milestone)


def parse_docstring(doc: str) -> tuple[str, str, str]:
    """A check's docstring as (criterion, why, fix): the first line, then two paragraphs."""
    criterion, _, body = doc.partition("\n")
    sections = dict(re.findall(r"^(Why|Fix):\s*(.*?)(?=^(?:Why|Fix):|\Z)", body, re.M | re.S))
    return (
        criterion.strip(),
        " ".join(sections.get("Why", "").split()),
        " ".join(sections.get("Fix", "").split()),
    )


def stage_of_module(module: str) -> Stage:
    package = module.split(".")[1] if module.startswith("checks.") else module.split(".")[0]
    for stage in STAGES.values():
        if stage.package == package:
            return stage
    raise LookupError(f"{module} is not inside a stage folder of checks/")


def all_checks(through: int | None = None) -> Iterator[Check]:
    """Every check of every written stage (through stage `through`, when given), in rubric
    order: by stage, then by milestone (the order a learner builds them in), then by file
    (MODULES) and definition. A stage's modules are imported only when asked for: a stage-1
    run never loads what stage 6 checks with (detect-secrets, YAML, JWT)."""
    for number in STAGES:
        if through is None or number <= through:
            yield from _stage_checks(number)


@functools.cache
def _stage_checks(number: int) -> tuple[Check, ...]:
    stage = STAGES[number]
    return tuple(sorted(_checks_in_files(stage), key=_milestone_number)) if stage.written else ()


def _checks_in_files(stage: Stage) -> Iterator[Check]:
    for path in stage.check_files():
        module = importlib.import_module(f"checks.{stage.package}.{path.stem}")
        functions = [f for f in vars(module).values() if inspect.isfunction(f)]
        for function in sorted(functions, key=lambda f: f.__code__.co_firstlineno):
            for mark in getattr(function, "pytestmark", []):
                if mark.name == "roadmap" and function.__module__ == module.__name__:
                    yield describe(function, mark.kwargs["slug"], mark.kwargs["advisory"])


def _milestone_number(check: Check) -> int:
    return check.milestone.number if check.milestone else sys.maxsize


def _stage_of_id(check_id: str) -> int:
    folder = check_id.split("/", 1)[0]
    number = next((n for n, stage in STAGES.items() if stage.slug == folder), None)
    if number is None:
        raise KeyError(check_id)
    return number


def check_by_id(check_id: str) -> Check:
    found = next((c for c in _stage_checks(_stage_of_id(check_id)) if c.id == check_id), None)
    if found is None:
        raise KeyError(check_id)
    return found


@functools.cache
def catalog_order(check_id: str) -> tuple[int, int]:
    """Where a check stands in the catalog (its stage, then its place in the stage):
    reports list results in this order."""
    number = _stage_of_id(check_id)
    return number, [check.id for check in _stage_checks(number)].index(check_id)
