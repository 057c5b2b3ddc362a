"""How a check says what went wrong: what was run, what came back, what was expected."""

from __future__ import annotations

import shlex

from checks.harness.process import Completed


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
    ) -> None:
        super().__init__(problem)
        self.problem = problem
        self.ran, self.got, self.expected, self.fix = ran, got, expected, fix


class Blocked(Exception):
    """A check could not run because something it stands on failed (say, the install)."""


def command_line(argv: tuple[str, ...] | list[str]) -> str:
    return shlex.join(argv)


def clip(text: str, limit: int = 600) -> str:
    """Shorten program output for a report; the full output is not what a learner needs."""
    text = text.strip()
    return text if len(text) <= limit else text[:limit].rstrip() + " …"


def outcome(result: Completed) -> str:
    """Describe what a program did in one or two lines: exit code, then its output."""
    if result.timed_out:
        return f"no answer: still running after {result.seconds:.0f} s, so it was stopped"
    if result.flooded:
        return "it printed more than 10 MB, so it was stopped"
    parts = [f"exit code {result.exit_code}"]
    if result.stdout.strip():
        parts.append(f"stdout: {clip(result.stdout)}")
    if result.stderr.strip():
        parts.append(f"stderr: {clip(result.stderr)}")
    if len(parts) == 1:
        parts.append("no output")
    return "; ".join(parts)


def has_traceback(result: Completed) -> bool:
    return "Traceback (most recent call last)" in result.stderr + result.stdout


def a(noun: str) -> str:
    """ "an expense", "a bookmark": messages read as sentences."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def require_success(result: Completed, doing: str, fix: str | None = None) -> None:
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
    )


def require_rejection(result: Completed, doing: str) -> None:
    """Fail unless the program refused cleanly: non-zero exit, a message, no traceback."""
    ran = command_line(result.argv)
    if result.timed_out or result.flooded:
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
