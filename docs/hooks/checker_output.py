"""What the checker writes and prints for small example runs, rendered by its own code."""

from __future__ import annotations

from typing import Any

from mkdocs.exceptions import PluginError

from . import course


def report_example(name: str | None, page: Any) -> str:
    """A report file rendered by the checker's own code for a small example run."""
    from checks.harness.results import CheckResult, Run
    from checks.report import exercism, junit

    renderers = {"results.json": (exercism.render, "json"), "junit.xml": (junit.render, "xml")}
    if name not in renderers:
        raise PluginError(f"report-example knows {', '.join(renderers)}, not {name!r}")
    by_id = {check.id: check for check in course.catalog().all_checks()}
    run = Run(repo="expense-tracker", project="expense-tracker", stage=1, seed=7)
    run.results = [
        CheckResult(by_id["01-cli/installs"], "pass", seconds=2.1),
        CheckResult(
            by_id["01-cli/summary"],
            "fail",
            problem="the summary is not the sum of amount per category",
            ran="expense-tracker summary --json",
            got='exit code 0; stdout: {"category-qt1d": "3.00"}',
            expected='{"category-qt1d": 16026.95}',
            fix=course.worded(by_id["01-cli/summary"].fix),
            try_lines=[
                "export DATA_FILE=$(mktemp -d)/data.json",
                "expense-tracker add --amount 7521.68 --category category-qt1d",
                "expense-tracker summary --json",
            ],
            seconds=0.8,
        ),
        CheckResult(
            by_id["01-cli/code-organization"],
            "fail",
            problem="cli.py opens the data file itself",
            fix=course.worded(by_id["01-cli/code-organization"].fix),
            seconds=0.1,
        ),
    ]
    render, language = renderers[name]
    return f'```{language} title="{name}"\n{render(run).rstrip()}\n```\n'


def sample_rubric(_: str | None, page: Any) -> str:
    """What the checker prints for a stage-1 project with one bug, by the checker's own code."""
    from checks.harness.results import CheckResult, Run
    from checks.report import terminal

    run = Run(repo="expense-tracker", project="expense-tracker", stage=1, seed=7)
    for check in course.checks_of(course.catalog().STAGES[1]):
        if check.id != "01-cli/summary":
            run.results.append(CheckResult(check, "pass"))
            continue
        run.results.append(
            CheckResult(
                check,
                "fail",
                problem="the summary is not the sum of amount per category",
                ran="expense-tracker summary --json",
                got='exit code 0; stdout: {"food": "3.00"}',
                expected='{"food": 16.95}',
                fix=course.worded(check.fix),
            )
        )
    title = "What the checker tells you: ./nox -s check -- ../expense-tracker"
    return f'```text title="{title}"\n{terminal.render(run).rstrip()}\n```\n'
