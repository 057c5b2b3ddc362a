"""`[tool.roadmap.quality]` (stage 5 on): where the unit tests are, how much coverage, where
the health endpoint is, which settings the app must not start without.

Every key has a default: a project that follows the brief writes no table at all. Real
projects vary (`tests/unit_tests`, `/healthz`, a threshold of their own): the table says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from checks.harness.manifest.table import EXAMPLES, Table

MIN_COVERAGE, DEFAULT_COVERAGE = 60, 80

EXAMPLES |= {
    "quality.unit_tests": 'unit_tests = "tests/unit"',
    "quality.coverage": "coverage = 80",
    "quality.source": 'source = ["expense_tracker"]',
    "quality.health": 'health = "/health"',
    "quality.required_settings": 'required_settings = ["DATABASE_URL", "SECRET_KEY"]',
}


@dataclass(frozen=True)
class Quality:
    unit_tests: str = "tests/unit"  # a folder of tests that pass with no database
    coverage: int = DEFAULT_COVERAGE  # branch coverage, in percent
    source: tuple[str, ...] = ()  # what coverage measures; () = the project's package
    health: str = "/health"
    required_settings: tuple[str, ...] = ()  # () = the database's variable and the secret's


def read(table: Table | None) -> Quality:
    """The section, or the conventions when the project has none."""
    if table is None:
        return Quality()
    coverage = table.get("coverage", int, DEFAULT_COVERAGE)
    if not MIN_COVERAGE <= coverage <= 100:
        raise table.fail("coverage", f"must be between {MIN_COVERAGE} and 100, not {coverage}")
    health = table.get("health", str, "/health")
    if not health.startswith("/"):
        raise table.fail("health", f"must be a path that starts with /, not {health!r}")
    unit_tests = table.get("unit_tests", str, "tests/unit").strip("/")
    if unit_tests.startswith("..") or unit_tests.startswith("/"):
        raise table.fail("unit_tests", "must be a folder inside your project")
    return Quality(
        unit_tests=unit_tests,
        coverage=coverage,
        source=tuple(table.get("source", list)) if "source" in table else (),
        health=health,
        required_settings=tuple(table.get("required_settings", list))
        if "required_settings" in table
        else (),
    )
