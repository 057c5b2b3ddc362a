"""How a check says what went wrong: what was run, what came back, what was expected.

A failure may be about a *step* another check grades (adding a record, listing, starting
the server). It then names that check as its `step`; when that check has failed too, the
run reports this one as blocked by it instead of failing it a second time (ADR 0009).
"""

from __future__ import annotations

import json
import shlex

from checks.harness.process import Completed, NotStarted

EMPTY = "(empty)"


class CheckFailed(AssertionError):
    """A learner-facing failure. `problem` is one sentence; the rest fills the report."""

    def __init__(
        self,
        problem: str,
        *,
        ran: str | None = None,
        got: str | None = None,
        expected: str | None = None,
        fix: str | None = None,
        step: str | None = None,
    ) -> None:
        super().__init__(problem)
        self.problem = problem
        self.ran, self.got, self.expected, self.fix = ran, got, expected, fix
        self.step = step  # the id of the check that grades the step that failed
        # Lines to paste, for a failure met in work done before the check (the run's seed,
        # in the checker's own process): the check itself ran nothing to show.
        self.try_lines: list[str] = []

    def of_step(self, step: str | None) -> CheckFailed:
        """This failure, as a failure of the step that check `step` grades, unless it
        already stands on a step of its own (the migrations under the learner's suite):
        that one is the root, and keeps its name."""
        self.step = self.step or step
        return self


class Blocked(CheckFailed):
    """A check could not run because a step it stands on failed (the install, the server)."""

    def __init__(self, step: str, problem: str, **details: str | None) -> None:
        super().__init__(problem, step=step, **details)


def command_line(argv: tuple[str, ...] | list[str]) -> str:
    return shlex.join(argv)


def clip(text: str, limit: int = 600) -> str:
    """Shorten program output for a report, keeping its start and, above all, its end.

    The end is where Python prints the exception and the learner's own frame, so a long
    traceback loses its middle, never its last lines.
    """
    text = text.strip()
    if len(text) <= limit:
        return text
    lines = text.splitlines()
    head: list[str] = []
    tail: list[str] = []
    used = 0
    for line in reversed(lines):  # two thirds of the room for the end
        if used + len(line) > limit * 2 // 3 and tail:
            break
        tail.insert(0, line[-limit:])
        used += len(line)
    for line in lines[: len(lines) - len(tail)]:
        if used + len(line) > limit and head:
            break
        head.append(line[: max(limit - used, 40)])
        used += len(line)
    left_out = len(lines) - len(head) - len(tail)
    if left_out <= 0 and len(lines) == 1:  # one very long line: its start and its end
        return f"{text[: limit // 3]} … {text[-limit // 2 :]}"
    middle = [f"… ({left_out} lines not shown) …"] if left_out > 0 else ["…"]
    return "\n".join([*head, *middle, *tail])


def shown_output(text: str, limit: int = 600) -> str:
    """Program output as the learner printed it: verbatim, cut in the middle, or (empty)."""
    return clip(text, limit) if text.strip() else EMPTY


def shown_json(value: object, limit: int = 400) -> str:
    """A value the checker parsed from the learner's JSON, shown as JSON again."""
    return clip(json.dumps(value, ensure_ascii=False), limit)


def not_started_help(failed: NotStarted) -> str:
    """Why a program never ran, in the learner's terms, and how to make it run: the
    launcher's own line ("setpriv: failed to execute alembic: ...") names neither."""
    program = failed.program
    if failed.missing and "/" not in program:
        return (
            f"`{program}` is not installed in your project, so it could not run: add it to "
            f'`[project] dependencies` in pyproject.toml, e.g. "{program}" (`uv add {program}` '
            "writes it there and updates uv.lock), then commit"
        )
    if failed.missing:
        return (
            f"`{program}` does not exist in your project (or its first line names an "
            "interpreter that does not), so it could not run: commit it, or correct the path "
            "where your manifest names it"
        )
    if failed.reason == "Permission denied":
        return (
            f"`{program}` is not executable, so it could not run: `chmod +x {program}`, then "
            f"`git add --chmod=+x {program}` and commit (or start it through its interpreter, "
            f"as in `sh {program}`)"
        )
    return f"`{program}` could not be started: {failed.reason}"


def outcome(result: Completed) -> str:
    """Describe what a program did: exit code, then its output, verbatim; a program that
    never ran is first said in plain words."""
    if result.timed_out:
        return f"no answer: still running after {result.seconds:.0f} s, so it was stopped"
    if result.flooded:
        return "it printed more than 10 MB, so it was stopped"
    if result.killed_for:
        return f"it was stopped: {result.killed_for}"
    parts = [
        f"exit code {result.exit_code}",
        f"stdout: {shown_output(result.stdout)}",
        f"stderr: {shown_output(result.stderr)}",
    ]
    described = ("\n" if any("\n" in part for part in parts) else "; ").join(parts)
    failed = result.not_started
    return f"{not_started_help(failed)}\n{described}" if failed else described


def has_traceback(result: Completed) -> bool:
    return "Traceback (most recent call last)" in result.stderr + result.stdout


def a(noun: str) -> str:
    """ "an expense", "a bookmark": messages read as sentences."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def require_success(
    result: Completed, doing: str, fix: str | None = None, step: str | None = None
) -> None:
    """Fail unless the program finished with exit code 0 in time and without flooding."""
    if result.ok:
        return
    problem = f"the command failed while {doing}"
    if result.timed_out:
        problem = f"the command did not finish in time while {doing}"
    elif result.flooded:
        problem = f"the command printed too much output while {doing}"
    raise CheckFailed(
        problem,
        ran=command_line(result.argv),
        got=outcome(result),
        expected="exit code 0",
        fix=fix,
        step=step,
    )


def require_rejection(result: Completed, doing: str) -> None:
    """Fail unless the program refused cleanly: non-zero exit, a message, no traceback."""
    ran = command_line(result.argv)
    if result.timed_out or result.flooded or result.killed_for:
        require_success(result, doing)
    expected = "a non-zero exit code and a one-line message on stderr, with no traceback"
    if result.exit_code == 0:
        problem = f"the program exited with code 0 while {doing}, so a script cannot tell"
    elif has_traceback(result):
        problem = f"the program crashed with a Python traceback while {doing}"
    elif not result.stderr.strip():
        problem = f"the program said nothing on stderr while {doing}"
    else:
        return
    raise CheckFailed(problem, ran=ran, got=outcome(result), expected=expected)


class NotApplicable(Exception):
    """The check does not apply to this project (say, a CLI check on an API-only project);
    the message says why, and the check counts neither for nor against the learner."""


# How the reports tell a measurement that was not taken from a check that does not apply.
NOT_MEASURED = "not measured: "


class NotMeasured(NotApplicable):
    """An advisory measurement that was not taken: not asked for (mutation testing is
    opt-in), or the tool could not measure. Reported as "not measured" with the reason,
    never as a pass or a score of 0, and counted neither for nor against the learner."""

    def __init__(self, reason: str) -> None:
        super().__init__(NOT_MEASURED + reason)
