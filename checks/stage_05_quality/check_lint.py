"""Lint: ruff passes under the project's own configuration, and that configuration means it."""

from checks.harness.catalog import check
from checks.harness.doors.tools import lint
from checks.harness.failure import CheckFailed, clip, command_line
from checks.harness.process import Completed
from checks.harness.workspace import Workspace

SHOWN = 1500  # characters of ruff's findings a report shows


def _findings(done: Completed) -> str:
    return clip(done.stdout.strip() or done.stderr.strip(), SHOWN)


@check("ruff-clean")
def check_ruff_clean(workspace: Workspace) -> None:
    """`ruff check` passes under your configuration, and that selects at least E, F, I and B.

    Why: a linter catches bugs before any test runs (an unused variable that should have
    been used, a mutable default argument, an import cycle in waiting), and one style
    means a diff shows what changed, not who typed it. A configuration that selects
    nothing passes everything: it has to mean something.

    Fix: add `[tool.ruff.lint] select = ["E", "F", "I", "B"]` (or more) to pyproject.toml,
    run `ruff check --fix .` and fix what is left by hand; `ruff format .` for the style.
    """
    own = lint.own_config(workspace)
    if own.exit_code not in (0, 1):
        raise CheckFailed(
            "ruff could not read your configuration",
            ran=command_line(own.argv),
            got=_findings(own),
            expected="ruff to run with your pyproject.toml (or ruff.toml)",
            fix="run `ruff check .` in your project and fix the configuration error it names",
        )
    if not own.ok:
        raise CheckFailed(
            "ruff finds problems in your code, under your own configuration",
            ran=command_line(own.argv),
            got=_findings(own),
            expected="no findings",
        )
    rules = lint.baseline(workspace)
    if not rules.ok:
        raise CheckFailed(
            f"your ruff configuration does not select {lint.BASELINE}, and those rules find "
            "problems it lets through",
            ran=command_line(rules.argv),
            got=_findings(rules),
            expected=f"a configuration that selects at least {lint.BASELINE}, and no findings",
        )


@check("ruff-baseline", advisory=True)
def check_ruff_baseline(workspace: Workspace) -> None:
    """ruff with the checker's rules (E, F, I, B) and none of your ignores finds nothing.

    Why: per-file ignores and excluded folders are sometimes right (generated migrations)
    and sometimes where problems hide. This shows what your configuration leaves out, so
    you can say why in review.

    Fix: read the findings; fix them, or keep the ignore and write down why (a comment
    beside it in pyproject.toml).
    """
    unignored = lint.baseline(workspace, ignores=False)
    if not unignored.ok:
        raise CheckFailed(
            "with none of your ignores, ruff's basic rules find problems",
            ran=command_line(unignored.argv),
            got=_findings(unignored),
            expected="no findings, or ignores you can explain",
        )
