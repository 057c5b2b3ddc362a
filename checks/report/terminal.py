"""The rubric a person reads in their terminal, grouped by stage."""

from __future__ import annotations

from checks.harness.results import CheckResult, Run
from checks.report.text import printable

MARKS = {"pass": "✓", "fail": "✗", "error": "!", "blocked": "·", "not-applicable": "○"}
LABEL_WIDTH = 9


def render(run: Run) -> str:
    lines = [f"Backend Roadmap check — {run.project} (stage {run.stage}, seed {run.seed})", ""]
    if run.error:
        return printable("\n".join([*lines, run.verdict, ""]))
    if run.notes:
        lines += [*(f"Note: {note}" for note in run.notes), ""]
    for stage in run.stages:
        results = run.of_stage(stage)
        if not results:
            continue
        lines.append(f"Stage {stage.number} · {stage.slug} — {stage.title}")
        for result in results:
            lines.extend(_check_lines(result))
        lines.append("")
    lines.append(run.verdict)
    if run.next_step:
        lines.append(run.next_step)
    return printable("\n".join(lines) + "\n")


def _check_lines(result: CheckResult) -> list[str]:
    check = result.check
    mark = MARKS[result.status] if check.required or result.passed else "~"
    advisory = "" if check.required else " (advisory)"
    lines = [f"  {mark} {check.id}{advisory} — {check.criterion}"]
    if result.status == "blocked":
        return [f"  {mark} {check.id}{advisory} — not checked: blocked by {result.blocked_by}"]
    if result.status == "not-applicable":
        return [f"  {mark} {check.id}{advisory} — does not apply: {result.not_applicable}"]
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
