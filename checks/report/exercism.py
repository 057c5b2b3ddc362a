"""results.json in the Exercism test-runner v3 shape, plus the roadmap's own fields.

Exercism's shape lets existing tooling read it; `id`, `stage` and `required` are what a
mentor's scripts need to grade a cohort. `task_id` is the number of the milestone of the
stage's brief that the check grades (Exercism's "task" a test belongs to).
"""

from __future__ import annotations

import json
from typing import Any

from checks.harness.results import CheckResult, Run

OUTPUT_LIMIT = 500  # Exercism truncates `output` at 500 characters; so do we


def render(run: Run) -> str:
    document: dict[str, Any] = {
        "version": 3,
        "status": {0: "pass", 1: "fail"}.get(run.exit_code, "error"),
        "project": run.project,
        "repo": run.repo,
        "stage": run.stage,
        "seed": run.seed,
    }
    if run.error or run.exit_code == 2:
        document["message"] = run.verdict
    if run.next_step:
        document["next"] = run.next_step
    if run.notes:
        document["notes"] = run.notes
    document["tests"] = [_test(result) for result in run.results]
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _test(result: CheckResult) -> dict[str, Any]:
    test: dict[str, Any] = {
        "name": result.check.criterion,
        "status": result.status,
        "id": result.check.id,
        "stage": result.check.stage.number,
        "required": result.check.required,
    }
    if result.check.milestone:  # Exercism's task: the part of the brief the check grades
        test["task_id"] = result.check.milestone.number
    if result.status == "blocked":
        test["blocked_by"] = result.blocked_by
        test["message"] = f"not checked: blocked by {result.blocked_by}"
    elif result.status == "not-applicable":
        test["message"] = f"does not apply: {result.not_applicable}"
    elif not result.passed:
        test["message"] = "\n".join(
            text if label == "problem" else f"{label}: {text}" for label, text in result.details()
        )
        if result.try_lines:
            test["output"] = "\n".join(result.try_lines)[:OUTPUT_LIMIT]
    return test
