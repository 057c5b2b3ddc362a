"""The test-gap comparison: lines another measured run reached that the learner's tests
never did, grouped as a reader sees them and named by their function."""

from checks.harness.doors.tools.coverage import FileCoverage, Measured
from checks.harness.doors.tools.gaps import FileGap, Span, outline, unreached

SERVICES = '''\
"""Use cases."""


def get_expense(store, expense_id):
    expense = store.get(expense_id)
    if expense is None:
        # a missing record: the caller answers 404
        raise LookupError(
            f"no expense {expense_id}"
        )
    return expense


class Repository:
    def delete(self, expense_id):
        if expense_id < 0:
            return False
        return True
'''
PATH = "src/app/services.py"


def _measured(*files: tuple[str, tuple[int, ...]]) -> Measured:
    return Measured(50.0, tuple(FileCoverage(path, 50.0, missing, ()) for path, missing in files))


def _project(tmp_path):
    (tmp_path / "src" / "app").mkdir(parents=True)
    (tmp_path / PATH).write_text(SERVICES)
    return tmp_path


def test_lines_the_requests_ran_and_the_tests_missed_are_the_gap(tmp_path):
    project = _project(tmp_path)
    tests = _measured((PATH, (8, 11, 17)))  # the raise, the return, the `return False`
    requests = _measured((PATH, (11, 17)))  # they ran the raise (and never 11, 17)

    (gap,) = unreached(requests, tests, project)

    assert gap == FileGap(PATH, (8,), (Span(8, 10, "get_expense"),))
    assert gap.describe() == f"{PATH} lines 8-10 (in `get_expense`)"


def test_a_comment_between_two_missed_statements_does_not_split_their_range(tmp_path):
    project = _project(tmp_path)
    tests = _measured((PATH, (6, 8, 11)))
    requests = _measured((PATH, ()))

    (gap,) = unreached(requests, tests, project)

    assert gap.spans == (Span(6, 11, "get_expense"),)


def test_ranges_stop_at_a_statement_the_tests_reached_and_at_a_function_border(tmp_path):
    project = _project(tmp_path)
    tests = _measured((PATH, (5, 11, 16, 17)))  # 6 and 8 reached by the tests
    requests = _measured((PATH, ()))

    (gap,) = unreached(requests, tests, project)

    assert [str(span) for span in gap.spans] == [
        "5 (in `get_expense`)",
        "11 (in `get_expense`)",
        "16-17 (in `Repository.delete`)",
    ]


def test_nothing_reached_beyond_the_tests_is_no_gap_and_unknown_files_make_no_claim(tmp_path):
    project = _project(tmp_path)
    tests = _measured((PATH, (8,)))
    requests = _measured((PATH, (8,)), ("src/app/other.py", ()))

    assert unreached(requests, tests, project) == []


def test_the_largest_gap_comes_first_and_a_file_without_source_still_gets_its_lines(tmp_path):
    project = _project(tmp_path)
    tests = _measured((PATH, (8,)), ("src/app/gone.py", (3, 4, 9)))
    requests = _measured((PATH, ()), ("src/app/gone.py", ()))

    gaps = unreached(requests, tests, project)

    assert [gap.path for gap in gaps] == ["src/app/gone.py", PATH]
    assert gaps[0].describe() == "src/app/gone.py lines 3-4, 9"  # next to each other only


def test_a_file_that_does_not_parse_has_an_empty_outline(tmp_path):
    broken = tmp_path / "broken.py"
    broken.write_text("def (:\n")
    assert outline(broken).functions == ()
    assert outline(tmp_path / "missing.py").starts == frozenset()
