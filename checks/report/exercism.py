"""results.json: valid Exercism test-runner v3, with the roadmap's own outcome beside it.

v3 knows three test statuses, pass, fail and error, and reads the top-level status from
them. The roadmap has five, and a verdict that lets advisory checks fail. ADR 14 records
how one maps onto the other so that a v3 reader is never told something false:

- blocked is v3 `fail`: the check did fail, at a step another failing check grades;
- a check that does not apply was not run on this project, so it is not a v3 test: it is
  listed apart, under `does_not_apply`;
- a failed advisory check is v3 `fail`, so the top-level v3 `status` is `fail` too, while
  `roadmap_status` (the exit code's word) can still be `pass`.

Every check keeps its roadmap status in `roadmap_status`; `id`, `stage` and `required` are
what a mentor's scripts need to grade a cohort; `task_id` is the milestone of the stage's
brief that the check grades (Exercism's "task"). The readers at the end of this module
accept a results.json in this shape and in the one written before ADR 14.
"""

from __future__ import annotations

import json
from typing import Any

from checks.harness.results import CheckResult, Run, Status
from checks.report.text import printable

V3_STATUS: dict[Status, str] = {"pass": "pass", "fail": "fail", "error": "error", "blocked": "fail"}
RUN_STATUS = {0: "pass", 1: "fail"}  # by exit code; anything else could not be checked: error
MESSAGE_LIMIT = 65_535  # v3's limit on the top-level message


def render(run: Run) -> str:
    tests = [_test(r) for r in run.results if r.status != "not-applicable"]
    status = _overall(run, tests)
    document: dict[str, Any] = {"version": 3, "status": status}
    if status == "error":  # v3: a top-level message only with error
        document["message"] = printable(run.verdict)[:MESSAGE_LIMIT]
    document["roadmap_status"] = RUN_STATUS.get(run.exit_code, "error")
    document["verdict"] = printable(run.verdict)
    document |= {"project": run.project, "repo": run.repo, "stage": run.stage, "seed": run.seed}
    if run.partial:
        document["partial"] = True
    if run.next_step:
        document["next"] = printable(run.next_step)
    if run.notes:
        document["notes"] = run.notes
    if run.briefs:  # what the terminal showed of a note, in place of its full text
        document["notes_in_brief"] = run.briefs
    document["tests"] = tests
    not_run = [_not_applicable(r) for r in run.results if r.status == "not-applicable"]
    if not_run:
        document["does_not_apply"] = not_run
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _overall(run: Run, tests: list[dict[str, Any]]) -> str:
    """v3's own rule: error when no test ran (or every one errored), else pass only when
    every test passed."""
    if run.error or (tests and all(test["status"] == "error" for test in tests)):
        return "error"
    return "pass" if all(test["status"] == "pass" for test in tests) else "fail"


def _fields(result: CheckResult) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "name": result.check.criterion,
        "roadmap_status": result.status,
        "id": result.check.id,
        "stage": result.check.stage.number,
        "required": result.check.required,
    }
    if result.check.milestone:  # Exercism's task: the part of the brief the check grades
        fields["task_id"] = result.check.milestone.number
    return fields


def _test(result: CheckResult) -> dict[str, Any]:
    test: dict[str, Any] = {"name": result.check.criterion, "status": V3_STATUS[result.status]}
    test |= _fields(result)
    if result.status == "blocked":
        test["blocked_by"] = result.blocked_by
        test["message"] = f"not checked: blocked by {result.blocked_by}"  # as every report says
    elif not result.passed:
        parts = result.details()
        lines = [text if label == "problem" else f"{label}: {text}" for label, text in parts]
        test["message"] = printable("\n".join(lines) or result.check.criterion)
    if result.try_lines:  # v3: "the body of the command that is being tested", pass or not
        test["test_code"] = printable("\n".join(result.try_lines))
    return test


def _not_applicable(result: CheckResult) -> dict[str, Any]:
    return {**_fields(result), "not_applicable": printable(result.not_applicable or "")}


# Reading a results.json back (the history of runs, the cohort) -----------------------------


def checks_of(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Every check a results.json holds, those that did not apply included."""
    found = []
    for key in ("tests", "does_not_apply"):
        entries = document.get(key)
        if isinstance(entries, list):
            found += [entry for entry in entries if isinstance(entry, dict)]
    return found


def roadmap_status(entry: dict[str, Any]) -> Any:
    """The roadmap's status of a check (pass, fail, error, blocked, not-applicable) or of a
    whole run (pass, fail, error), from a file of either shape: before ADR 14, `status`
    held it."""
    return entry.get("roadmap_status", entry.get("status"))
