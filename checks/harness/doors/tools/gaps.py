"""The lines a measured run reached that the learner's own tests never do (stage 5).

Both runs are measured by coverage.py with the checker's settings (coverage.py), so both
count the same statements: a line the suite missed that the other run did not miss is a
line that run executed and no test did. Lines are shown as a reader sees them: two such
lines with only blank lines, comments or a line of the same statement between them make
one range, and each range is named by the function it is in, read from the pristine
source with `ast` (never by importing the learner's code).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from checks.harness.doors.tools.coverage import Measured

# Statements with a body of their own: they end where their body ends, not on their line.
COMPOUND = (
    ast.If,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.With,
    ast.AsyncWith,
    ast.Try,
    ast.TryStar,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.Match,
)
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


@dataclass(frozen=True)
class Span:
    first: int
    last: int
    function: str | None  # `delete_expense`, `Repository.get`; None at module level

    def __str__(self) -> str:
        lines = f"{self.first}-{self.last}" if self.last != self.first else str(self.first)
        return lines + (f" (in `{self.function}`)" if self.function else "")


@dataclass(frozen=True)
class FileGap:
    path: str  # as the learner knows it: src/expense_tracker/services.py
    lines: tuple[int, ...]
    spans: tuple[Span, ...]

    def describe(self, limit: int = 6) -> str:
        """ "src/app/services.py lines 42-51 (in `get_expense`), 60 (in `delete`)"."""
        single = len(self.spans) == 1 and self.spans[0].first == self.spans[0].last
        shown = ", ".join(str(span) for span in self.spans[:limit])
        more = len(self.spans) - limit
        return f"{self.path} {'line' if single else 'lines'} {shown}" + (
            f" and {more} more" if more > 0 else ""
        )


@dataclass(frozen=True)
class Outline:
    """What `ast` says of one module: where statements start, where simple ones end, and
    the span of each function."""

    starts: frozenset[int]
    ends: dict[int, int]
    functions: tuple[tuple[int, int, str], ...]  # first line, last line, qualified name

    def function_at(self, line: int) -> str | None:
        """The innermost function that holds `line`."""
        holding = [f for f in self.functions if f[0] <= line <= f[1]]
        return max(holding, key=lambda f: f[0])[2] if holding else None


def outline(source: Path) -> Outline:
    """The outline of a Python file; an empty one when it cannot be read or parsed."""
    try:
        tree = ast.parse(source.read_text("utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return Outline(frozenset(), {}, ())
    starts: set[int] = set()
    ends: dict[int, int] = {}
    functions: list[tuple[int, int, str]] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.stmt):
                starts.add(child.lineno)
                if not isinstance(child, COMPOUND):
                    end = child.end_lineno or child.lineno
                    ends[child.lineno] = max(ends.get(child.lineno, 0), end)
            if isinstance(child, FUNCTIONS):
                first = min([child.lineno, *(d.lineno for d in child.decorator_list)])
                name = prefix + child.name
                functions.append((first, child.end_lineno or child.lineno, name))
                visit(child, name + ".")
            elif isinstance(child, ast.ClassDef):
                visit(child, prefix + child.name + ".")
            else:
                visit(child, prefix)

    visit(tree, "")
    return Outline(frozenset(starts), ends, tuple(functions))


def unreached(reached: Measured, tested: Measured, project: Path) -> list[FileGap]:
    """Per file, the lines `reached` ran that `tested` never did, the largest gaps first;
    `project` holds the sources (the pristine copy) the ranges are read from."""
    missed_by_tests = {f.path: set(f.missing) for f in tested.files}
    gaps = []
    for file in reached.files:
        missed = missed_by_tests.get(file.path)
        if missed is None:  # the suite's measurement does not know this file: no claim
            continue
        lines = sorted(missed - set(file.missing))
        if lines:
            spans = group(lines, outline(project / file.path))
            gaps.append(FileGap(file.path, tuple(lines), spans))
    return sorted(gaps, key=lambda gap: (-len(gap.lines), gap.path))


def group(lines: list[int], shape: Outline) -> tuple[Span, ...]:
    """Sorted line numbers as ranges: a range goes on over lines where no other statement
    starts (blank lines, comments), and never from one function into another."""
    spans: list[Span] = []
    first = last = lines[0]
    for line in lines[1:]:
        if shape.starts:
            between = any(last < start < line for start in shape.starts)
        else:  # no outline: only lines next to each other make a range
            between = line != last + 1
        if between or shape.function_at(line) != shape.function_at(last):
            spans.append(_span(first, last, shape))
            first = line
        last = line
    spans.append(_span(first, last, shape))
    return tuple(spans)


def _span(first: int, last: int, shape: Outline) -> Span:
    return Span(first, shape.ends.get(last, last), shape.function_at(first))
