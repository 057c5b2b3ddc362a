"""A checker run rebuilt from its results.json, to render one real run in several ways."""

from __future__ import annotations

import re
from typing import Any

from checks.harness.catalog import catalog_order, check_by_id
from checks.harness.results import CheckResult, Run
from checks.report.exercism import checks_of, roadmap_status

LABEL = re.compile(r"^(ran|got|expected|fix): (.*)$")


def run_from_results(document: dict[str, Any]) -> Run:
    """The Run that wrote `document`: every detail the reports show comes back (results.json
    joins a failure's parts into its message, one `label: text` after the other, and lists
    the checks that do not apply apart, so the rubric's order is the catalog's)."""
    run = Run(
        repo=document["repo"],
        project=document["project"],
        stage=document["stage"],
        seed=document["seed"],
        notes=list(document.get("notes", [])),
        briefs=dict(document.get("notes_in_brief", {})),
    )
    checks = sorted(checks_of(document), key=lambda check: catalog_order(check["id"]))
    run.results = [_result(check) for check in checks]
    return run


def _result(test: dict[str, Any]) -> CheckResult:
    result = CheckResult(check_by_id(test["id"]), roadmap_status(test))
    message = test.get("message", "")
    if result.status == "blocked":
        result.blocked_by = test["blocked_by"]
    elif result.status == "not-applicable":
        result.not_applicable = test["not_applicable"]
    elif message:
        parts: dict[str, list[str]] = {"problem": []}
        label = "problem"
        for line in message.split("\n"):
            found = LABEL.match(line)
            if found:
                label = found.group(1)
                parts[label] = [found.group(2)]
            else:
                parts[label].append(line)
        for name, lines in parts.items():
            setattr(result, name, "\n".join(lines) or None)
        result.try_lines = test["test_code"].split("\n") if test.get("test_code") else []
    return result
