"""report.md: the same rubric as Markdown, fit for a pull request or a GitHub job summary."""

from __future__ import annotations

from checks.harness.results import CheckResult, Run
from checks.report.text import printable

PROGRAM_TEXT = {"ran", "got"}  # what a program did, shown verbatim
ICONS = {"pass": "✅", "fail": "❌", "error": "⚠️", "blocked": "⏸️", "not-applicable": "⚪"}


def render(run: Run) -> str:
    lines = [f"# Backend Roadmap check: {run.project}", ""]
    lines += [f"**{run.verdict}**", ""]
    if run.next_step:
        lines += [run.next_step, ""]
    lines += [f"Stage {run.stage} · seed `{run.seed}`", ""]
    if run.error:
        return printable("\n".join(lines))
    lines += [*(f"> **Note:** {note}" for note in run.notes), *([""] if run.notes else [])]
    for stage in run.stages:
        results = run.of_stage(stage)
        if not results:
            continue
        lines += [f"## Stage {stage.number} · {stage.slug} — {stage.title}", ""]
        lines += ["| | check | milestone | criterion |", "|---|---|---|---|"]
        for result in results:
            icon = ICONS[result.status] if result.check.required or result.passed else "💡"
            kind = "" if result.check.required else " *(advisory)*"
            criterion = _cell(result.check.criterion)
            if result.status == "blocked":
                criterion = f"*not checked: blocked by `{result.blocked_by}`*"
            elif result.status == "not-applicable":
                criterion = f"*{_cell(result.not_run)}*"
            milestone = result.check.milestone.number if result.check.milestone else ""
            lines.append(f"| {icon} | `{result.check.id}`{kind} | {milestone} | {criterion} |")
        lines.append("")
        for result in results:
            if result.failed:
                lines += _failure(result)
    return printable("\n".join(lines).rstrip() + "\n")


def _failure(result: CheckResult) -> list[str]:
    lines = [f"### `{result.check.id}`", "", f"{result.check.criterion}", ""]
    for label, text in result.details():
        if label in PROGRAM_TEXT and "\n" in text:
            lines += [f"- **{label.capitalize()}:**", "", "  ```text", *_indent(text), "  ```"]
        elif label in PROGRAM_TEXT:
            lines.append(f"- **{label.capitalize()}:** {_code(text)}")
        else:
            lines.append(f"- **{label.capitalize()}:** {text}")
    if result.try_lines:
        lines += ["", "Try it yourself:", "", "```sh", *result.try_lines, "```"]
    lines += ["", f"[Read about this check]({result.check.docs_url})", ""]
    return lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    """Commands and output go in code spans so Markdown does not reinterpret them."""
    return "`` " + text.replace("`", "'") + " ``"


def _indent(text: str) -> list[str]:
    return ["  " + line for line in text.splitlines()]
