"""The rubric of one stage and the catalog of every check, in the checks' own words."""

from __future__ import annotations

from typing import Any

from . import course
from .markdown_text import cell, link
from .stage_status import COMING


def rubric(slug: str | None, page: Any) -> str:
    """One row and one anchored section per check of the stage: why it matters, how to fix."""
    stage = course.stage_named(slug)
    checks = course.checks_of(stage)
    if not checks:
        return (
            "## Rubric\n\n"
            '!!! note "No checks yet"\n'
            f"    The checks for this stage will live in `checks/{stage.package}/`. When they\n"
            "    land, this section lists each one with why it matters and how to fix a\n"
            "    failure, generated from the checks themselves.\n"
        )
    required = sum(check.required for check in checks)
    lines = [
        "## Rubric",
        "",
        f"Generated from `checks/{stage.package}/` when this site was built, so it is exactly",
        f"what `./nox -s check` grades: {len(checks)} checks, {required} required and "
        f"{len(checks) - required} advisory. Required checks must all pass for the stage to "
        "pass; advisory ones are reported but never fail it."
        + (
            f" Checking stage {stage.number} also runs the checks of every earlier stage."
            if stage.number > 1
            else ""
        )
        + " The milestone column names the part of the brief above that builds what it grades.",
        "",
        "| check | milestone | criterion | |",
        "|---|---|---|---|",
    ]
    for check in checks:
        milestone = check.milestone.number if check.milestone else ""
        lines.append(
            f"| [`{check.id}`](#{check.anchor}) | {milestone} | {cell(check.criterion)} "
            f"| {_kind(check)} |"
        )
    for check in checks:
        verdict = (
            "**Required:** the stage does not pass until this check does."
            if check.required
            else "**Advisory:** reported with the others, but it never fails the stage."
        )
        lines += [
            "",
            f"### `{check.id}` {{ #{check.anchor} }}",
            "",
            check.criterion,
            "",
            verdict,
            "",
            f"**Why it matters:** {course.worded(check.why)}",
            "",
            f"**How to fix a failure:** {course.worded(check.fix)}",
            "",
            f"Run it alone: `./nox -s check -- ../my-project --only {check.id}`",
        ]
    return "\n".join(lines) + "\n"


def check_catalog(_: str | None, page: Any) -> str:
    """Every check of every stage, each linking to its section on its stage's page."""
    stages = list(course.catalog().STAGES.values())
    every = list(course.catalog().all_checks())
    required = sum(check.required for check in every)
    written = sorted({check.stage.number for check in every})
    lines = [
        f"{len(every)} checks in {len(written)} written "
        f"stage{'s' if len(written) != 1 else ''}: {required} required, "
        f"{len(every) - required} advisory. Generated from `checks/` when this site was built.",
    ]
    for stage in stages:
        checks = [check for check in every if check.stage.number == stage.number]
        target = link(page, f"stages/{stage.slug}.md")
        lines += ["", f"## Stage {stage.number} · `{stage.slug}` — {stage.title}", ""]
        if not checks:
            lines.append(
                f"{COMING} No checks yet: see [what stage {stage.number} will ask]({target})."
            )
            continue
        lines += ["| check | criterion | |", "|---|---|---|"]
        for check in checks:
            lines.append(
                f"| [`{check.id}`]({target}#{check.anchor}) | {cell(check.criterion)} "
                f"| {_kind(check)} |"
            )
    return "\n".join(lines) + "\n"


def _kind(check: Any) -> str:
    return "required" if check.required else "advisory"
