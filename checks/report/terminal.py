"""The rubric a person reads in their terminal, made to be scanned in five seconds.

One line per check, grouped by stage and by the milestone of the brief it grades; the first
few failures in full (problem, ran, got, expected, fix, try, docs), the others on their one
line, every one with --verbose; then where the learner stands and the one thing to do next.
How it is fitted to the terminal (width, colour) is `checks.report.layout`'s business.
"""

from __future__ import annotations

from checks.harness.catalog import DOCS_URL, STAGES, Milestone
from checks.harness.history import Change
from checks.harness.manifest.examples import TABLES
from checks.harness.results import CheckResult, Run
from checks.report.layout import BOLD, CYAN, DIM, GREEN, MAGENTA, RED, YELLOW, Layout, Style

__all__ = ["DETAILED", "Style", "render"]

MARKS = {"pass": "✓", "fail": "✗", "error": "!", "blocked": "·", "not-applicable": "○"}
MARK_COLOURS = {"pass": GREEN, "fail": RED, "error": MAGENTA, "blocked": DIM}
ADVISORY_MARK = "~"
DETAILED = 3  # failures shown in full: enough to work on, few enough to scan
LISTED = 5  # newly failing checks named at the end of a run


def render(
    run: Run, style: Style | None = None, change: Change | None = None, *, reports: bool = False
) -> str:
    """The rubric of `run`; `change` is what changed since the last run, `reports` whether
    report.md was written (the line after the rubric says where)."""
    layout = Layout(style or Style())
    title = f"Backend Roadmap check — {run.project} (stage {run.stage}, seed {run.seed})"
    out = [*layout.wrapped("", title, BOLD), ""]
    if run.error:
        return "\n".join([*out, *layout.wrapped("", run.verdict), ""])
    for note in run.notes:
        brief = run.briefs.get(note) if reports else None  # the detail is in report.md
        text = f"{brief}; report.md has the details." if brief else note
        out += layout.wrapped("Note: ", text, head_sgr=YELLOW)
    if run.notes:
        out.append("")
    detailed = _detailed(run, layout.style.verbose)
    for stage in run.stages:
        results = run.of_stage(stage)
        if results:
            out += layout.wrapped("", f"Stage {stage.number} · {stage.slug} — {stage.title}", BOLD)
            out += _stage_lines(layout, results, detailed)
            out.append("")
    hidden = [r for r in run.results if r.failed and r.check.id not in detailed]
    if hidden:
        out += layout.wrapped("", _hidden(hidden, reports), DIM)
        out.append("")
    out += _position(layout, run, change)
    return "\n".join(out) + "\n"


def _detailed(run: Run, verbose: bool) -> set[str]:
    """The failures shown in full: the first few, required ones before advisory ones."""
    failures = [r for r in run.results if r.failed]
    ordered = [r for r in failures if r.check.required] + [
        r for r in failures if not r.check.required
    ]
    return {r.check.id for r in (ordered if verbose else ordered[:DETAILED])}


def _stage_lines(layout: Layout, results: list[CheckResult], detailed: set[str]) -> list[str]:
    lines: list[str] = []
    grouped = any(r.check.milestone for r in results)
    indent = "    " if grouped else "  "
    current: Milestone | None = None
    for result in results:
        milestone = result.check.milestone
        if grouped and milestone and milestone != current:
            lines += layout.line("  ", str(milestone), CYAN)
            current = milestone
        full = result.check.id in detailed
        lines += _check_lines(layout, result, indent, full)
    return lines


def _check_lines(layout: Layout, result: CheckResult, indent: str, full: bool) -> list[str]:
    check = result.check
    advisory = "" if check.required else " (advisory)"
    if check.required or result.passed:
        mark, sgr = MARKS[result.status], MARK_COLOURS.get(result.status, DIM)
    else:
        mark, sgr = ADVISORY_MARK, YELLOW
    head = indent + mark + " "
    if result.status == "blocked":  # wrapped, not cut: the check to fix is its news
        text = f"{check.id}{advisory} — not checked: blocked by {result.blocked_by}"
        return layout.wrapped(head, text, DIM, head_sgr=sgr)
    if result.status == "not-applicable":
        text = f"{check.id}{advisory} — {result.not_run}"
        return layout.wrapped(head, text, DIM, head_sgr=sgr)
    if result.passed:
        return layout.line(head, f"{check.id}{advisory} — {check.criterion}", head_sgr=sgr)
    if not full:  # a failure without its details: what went wrong, on one line
        text = f"{check.id}{advisory} — {result.problem or check.criterion}"
        return layout.line(head, text, head_sgr=sgr)
    lines = layout.wrapped(head, f"{check.id}{advisory} — {check.criterion}", head_sgr=sgr)
    details = indent + "    "
    for label, text in result.details():
        lines += layout.labelled(details, label, text)
    if result.try_lines:
        lines += layout.labelled(details, "try", "\n".join(result.try_lines))
    lines += layout.labelled(details, "docs", check.docs_url)
    return lines


def _hidden(hidden: list[CheckResult], reports: bool) -> str:
    """How many results are shown on one line only, named as what they are: an advisory
    check's is advice, which never fails the stage."""
    failures = sum(r.check.required for r in hidden)
    advice = len(hidden) - failures
    parts = [_counted(failures, "more failure", "more failures")] if failures else []
    if advice:
        more = "" if failures else "more "
        parts.append(_counted(advice, f"{more}piece of advice", f"{more}pieces of advice"))
    verb = "is" if len(hidden) == 1 else "are"
    text = (
        f"{' and '.join(parts)} {verb} shown on one line only: add --verbose to your command "
        "to see every result in full"
    )
    return text + (", or read report.md in the Reports folder below." if reports else ".")


def _counted(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _position(layout: Layout, run: Run, change: Change | None) -> list[str]:
    """Where the learner stands, what changed since their last run, and what to do next."""
    required = run.required
    passed = sum(r.passed for r in required)
    since = _since(change)
    if any(r.status == "error" for r in run.results):
        lines = layout.wrapped("", run.verdict, BOLD)
    elif passed == len(required) and run.partial:
        lines = layout.wrapped("", run.verdict, f"{BOLD};{GREEN}")
    elif passed == len(required):
        text = f"Stage {run.stage} complete: {run.counted}{since}."
        lines = layout.wrapped("", text, f"{BOLD};{GREEN}")
    else:
        blocked = sum(r.status == "blocked" for r in required)
        text = f"Stage {run.stage}: {run.counted}{since}"
        text += f", {blocked} not checked (blocked by a failure)." if blocked else "."
        lines = layout.wrapped("", text, BOLD)
    if change and change.newly_failing:
        named = ", ".join(change.newly_failing[:LISTED])
        more = len(change.newly_failing) - LISTED
        named += f" and {more} more" if more > 0 else ""
        text = f"Passed on your last run, failing now: {named}."
        lines += layout.wrapped("", text, RED)
    step = run.next_step or _after_passing(run)
    if step:
        head, _, text = step.partition(" ")
        lines += layout.wrapped(head + " ", text, head_sgr=f"{BOLD};{YELLOW}")
    return lines


def _since(change: Change | None) -> str:
    if change is None:
        return ""
    reached = len(change.newly_reached)
    counts = [
        *([f"+{len(change.newly_passing)}"] if change.newly_passing else []),
        *([f"-{len(change.newly_failing)}"] if change.newly_failing else []),
        *([f"{reached} more check{'s' * (reached != 1)} reached"] if reached else []),
    ]
    return f" ({', '.join(counts) or 'no change'} since your last run)"


def _after_passing(run: Run) -> str | None:
    """The next step once every required check passes."""
    if run.error or any(not r.passed for r in run.required):
        return None
    if run.partial:
        return "Next: run again without --only to check the whole stage."
    following = STAGES.get(run.stage + 1)
    if following is None:
        return "Next: nothing — you have passed every stage of the course."
    if not following.written:
        return (
            f"Next: stage {following.number} ({following.slug}) is not written yet; you have "
            "passed every stage the course has so far."
        )
    table = TABLES.get(following.number)
    add = f", add its {table} table (your next run shows it, in your names)" if table else ""
    return (
        f"Next: stage {following.number} · {following.title}. Set stage = {following.number} "
        f"under [tool.roadmap] in your pyproject.toml{add}, and start its brief at milestone "
        f"1: {DOCS_URL}/stages/{following.slug}/#milestones"
    )
