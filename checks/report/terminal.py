"""The rubric a person reads in their terminal, grouped by stage."""

from __future__ import annotations

from checks.report.model import CheckResult, Run

MARKS = {"pass": "✓", "fail": "✗", "error": "!"}
LABEL_WIDTH = 9


def render(run: Run) -> str:
    lines = [f"Backend Roadmap check — {run.project} (stage {run.stage}, seed {run.seed})", ""]
    if run.error:
        return "\n".join([*lines, run.verdict, ""])
    for stage in run.stages:
        results = run.of_stage(stage)
        if not results:
            continue
        lines.append(f"Stage {stage.number} · {stage.slug} — {stage.title}")
        for result in results:
            lines.extend(_check_lines(result))
        lines.append("")
    lines.append(run.verdict)
    return "\n".join(lines) + "\n"


def _check_lines(result: CheckResult) -> list[str]:
    check = result.check
    mark = MARKS[result.status] if check.required or result.passed else "~"
    advisory = "" if check.required else " (advisory)"
    lines = [f"  {mark} {check.id}{advisory} — {check.criterion}"]
    if result.passed:
        return lines
    for label, text in result.details():
        lines.append(_labelled(label, text.splitlines() or [""]))
    if result.try_lines:
        lines.append(_labelled("try", result.try_lines))
    lines.append(_labelled("docs", [check.docs_url]))
    return lines


def _labelled(label: str, texts: list[str]) -> str:
    indent = " " * (6 + LABEL_WIDTH + 1)
    first, *rest = texts
    return "\n".join([f"      {label:<{LABEL_WIDTH}} {first}", *(indent + t for t in rest)])
