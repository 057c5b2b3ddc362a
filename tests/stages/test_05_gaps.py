"""Stage 5's advisory measurements, proved on real runs: the test-gap report names the lines
of a branch whose tests were deleted, and mutation testing (only with --mutation) reports
the changes the unit tests let through, without touching the learner's folder.

Both run on the newest reference with PostgreSQL (stage 4 on), checked as stage 5.
"""

import ast
import re
from pathlib import Path

import pytest

from checks.course.paths import finished_stages
from tests.conftest import require_postgres, run_checker, snapshot

pytestmark = pytest.mark.slow
GAP, MUTATION = "05-quality/test-gap", "05-quality/mutation-score"
STAGE = max(4, *(stage.number for stage in finished_stages()))
# The tests of a missing record: a name or a body that says "unknown", "not found" or 404.
NOT_FOUND = re.compile(r"unknown|not.found|NotFoundError|404")


def _delete_tests(project: Path, pattern: re.Pattern[str], folder: str = "tests") -> list[str]:
    """Delete every test function whose source matches `pattern`: a suite that no longer
    tests one branch, the way a learner who never wrote those tests would have it."""
    deleted = []
    for path in (project / folder).rglob("test_*.py"):
        text = path.read_text()
        lines = text.splitlines(keepends=True)
        doomed = [
            node
            for node in ast.parse(text).body
            if isinstance(node, ast.FunctionDef)
            and node.name.startswith("test_")
            and pattern.search(ast.get_source_segment(text, node) or "")
        ]
        for node in reversed(doomed):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            del lines[first - 1 : node.end_lineno]
            deleted.append(node.name)
        path.write_text("".join(lines))
    return deleted


def _functions_raising(source: Path, error: str) -> set[str]:
    """The functions of `source` that raise `error` (the branches under test): from stage 7
    on there is more than one (a missing expense, a missing import job), and the gap may
    name any of them."""
    tree = ast.parse(source.read_text())
    raising = {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
        and any(
            isinstance(inner, ast.Raise) and error in ast.unparse(inner) for inner in ast.walk(node)
        )
    }
    assert raising, f"no function of {source} raises {error}"
    return raising


def test_the_test_gap_names_the_service_lines_whose_tests_were_deleted_and_mutation_waits(
    reference, copy_of, tmp_path
):
    require_postgres()
    project = copy_of(reference(STAGE))
    assert _delete_tests(project, NOT_FOUND), "the reference tests missing records"
    services = project / "src" / "expense_tracker" / "services.py"
    raising = _functions_raising(services, "NotFoundError")

    run = run_checker(
        project, tmp_path / "report", "--stage", "5", "--only", GAP, "--only", MUTATION
    )

    assert run.statuses() == {GAP: "fail", MUTATION: "not-applicable"}, run.stdout + run.stderr
    message = run.message(GAP)
    line = next(line for line in message.splitlines() if "services.py" in line)
    assert "your tests never reach src/expense_tracker/services.py line" in line
    named = re.search(r"\(in `(\w+)`\)", line)
    assert named and named.group(1) in raising, (line, raising)
    assert run.message(MUTATION).startswith("not measured: ")
    assert "--mutation" in run.message(MUTATION)
    assert run.exit_code == 0, "advisory checks never fail the stage"
    assert run.stderr == ""


def test_with_mutation_the_changes_no_unit_test_notices_are_reported_as_tests_to_write(
    reference, copy_of, tmp_path
):
    require_postgres()
    project = copy_of(reference(STAGE))
    # A small service layer (the summary's one function) and its unit tests, two of which
    # are deleted: nothing checks the sums any more.
    unit = project / "tests" / "unit"
    (summary_tests,) = (project / "tests").rglob("test_summary.py")
    kept = summary_tests.read_text()
    if unit.is_dir():
        for path in unit.glob("test_*.py"):
            path.unlink()
    unit.mkdir(exist_ok=True)
    summary_tests.unlink(missing_ok=True)  # from stage 7 on it was among tests/unit's
    (unit / "test_summary_only.py").write_text(kept)
    assert _delete_tests(project, re.compile(r"def test_the_summary_(sums|adds)"), "tests/unit")
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text()
    pyproject.write_text(
        re.sub(r"services = \[[^\]]*\]", 'services = ["expense_tracker.summary"]', text)
    )
    before = snapshot(project)

    run = run_checker(
        project, tmp_path / "report", "--stage", "5", "--only", MUTATION, "--mutation"
    )

    assert run.statuses() == {MUTATION: "fail"}, run.stdout + run.stderr
    message = run.message(MUTATION)
    assert re.search(
        r"your unit tests catch \d+ of \d+ changes to your services \(\d+\.\d %\)", message
    )
    adding = "totals[expense.category] += expense.amount"
    summary = (project / "src" / "expense_tracker" / "summary.py").read_text().splitlines()
    line = next(n for n, text in enumerate(summary, 1) if text.strip() == adding)
    assert (
        f"a test that fails when `{adding}` becomes `{adding.replace('+=', '-=')}` "
        f"(src/expense_tracker/summary.py line {line}, in `total_per_category`)"
    ) in message
    assert run.exit_code == 0
    assert snapshot(project) == before, "mutmut ran in a copy of its own"
