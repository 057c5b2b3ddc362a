"""Runs built directly from results, for the tests of the report files (no tests here)."""

from __future__ import annotations

from typing import Any

from checks.harness.catalog import check_by_id
from checks.harness.results import CheckResult, Run

LIST_JSON, SUMMARY, HELP = "01-cli/list-json", "01-cli/summary", "01-cli/help"
ADVISORY = "01-cli/code-organization"


def run_of(*results: CheckResult, **fields: Any) -> Run:
    """A stage-1 run of expense-tracker with these results; `fields` set the others."""
    run = Run(repo="expense-tracker", project="expense-tracker", stage=1, seed=7)
    for name, value in fields.items():
        setattr(run, name, value)
    run.results = list(results)
    return run


def result(check_id: str, status: str, **details: Any) -> CheckResult:
    return CheckResult(check_by_id(check_id), status, **details)  # type: ignore[arg-type]


def passing(*check_ids: str) -> list[CheckResult]:
    return [result(check_id, "pass") for check_id in check_ids]
