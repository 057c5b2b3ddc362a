"""Grading runs one checker process per learner, several at once, into one row each."""

import json
import os
from dataclasses import replace

from checks.cohort.grading import grade
from checks.cohort.rows import Row, stuck_first
from checks.cohort.sources import Source, unique
from tests.test_cohort_fakes import fake_checker, git, learner_repo, results, unchecked


def graded(tmp_path, repos, jobs=1, extra=()):
    sources = unique([Source.of_path(repo) for repo in repos])
    scratch = tmp_path / "scratch"
    scratch.mkdir(exist_ok=True)
    checker = fake_checker(tmp_path)
    return grade(sources, tmp_path / "reports", list(extra), jobs, scratch, checker, "now")


def test_two_folders_of_the_same_name_give_two_rows_and_two_reports(tmp_path):
    ada = learner_repo(
        tmp_path / "ada" / "expense-tracker",
        author="Ada Lovelace",
        date="2025-03-14T10:00:00Z",
        fake={"results": results(passing=("01-cli/a",), failing=("01-cli/b", "01-cli/c"))},
    )
    bo = learner_repo(
        tmp_path / "bo" / "expense-tracker",
        author="Bo Diddley",
        date="2025-03-15T10:00:00Z",
        fake={"results": results(passing=("01-cli/a", "01-cli/b", "01-cli/c"))},
    )

    rows = graded(tmp_path, [bo, ada])

    assert [(r.learner, r.key, r.passed, r.required, r.status) for r in rows] == [
        ("ada/expense-tracker", str(ada), 1, 3, "fail"),
        ("bo/expense-tracker", str(bo), 3, 3, "pass"),
    ]
    assert rows[0].first_failing == "01-cli/b" and rows[0].date == "2025-03-14"
    assert len(rows[0].commit) >= 7
    reports = {row.report for row in rows}
    assert len(reports) == 2 and all(r.startswith("expense-tracker-") for r in reports)
    assert all((tmp_path / "reports" / r).is_file() for r in reports)


def test_a_learner_is_named_by_the_label_given_never_by_the_last_commits_author(tmp_path):
    ada = learner_repo(
        tmp_path / "ada-expenses", author="Ada Lovelace", fake={"results": results()}
    )
    bo = learner_repo(tmp_path / "bo-expenses", author="Bo Diddley", fake={"results": results()})
    for repo in (ada, bo):  # a pull request merged on the web, and a bot's update
        git(repo, "commit", "-qm", "Merge pull request #3", "--allow-empty", author="GitHub")
    git(bo, "commit", "-qm", "Bump httpx", "--allow-empty", author="dependabot[bot]")
    sources = unique([Source.of_path(ada, label="Ada L."), Source.of_path(bo)])
    scratch = tmp_path / "scratch"
    scratch.mkdir()

    rows = grade(sources, tmp_path / "reports", [], 1, scratch, fake_checker(tmp_path), "now")

    assert [row.learner for row in rows] == ["Ada L.", "bo-expenses"]
    assert rows[1].commit == git(bo, "log", "-1", "--format=%h"), "what was graded"


def test_a_folder_that_is_not_a_git_repo_is_named_by_its_folder(tmp_path):
    plain = tmp_path / "cy-bookmarks"
    plain.mkdir()
    (plain / "fake.json").write_text(json.dumps({"results": results(passing=("01-cli/a",))}))

    [row] = graded(tmp_path, [plain])

    assert (row.learner, row.commit, row.date) == ("cy-bookmarks", "", "")


def test_several_learners_are_checked_at_once_each_checker_one_check_at_a_time(tmp_path):
    meeting = tmp_path / "meeting"
    meeting.mkdir()
    repos = [
        learner_repo(
            tmp_path / name,
            author=name.title(),
            # all three must be running before any finishes, and they finish in reverse
            fake={"together": 3, "meeting": str(meeting), "sleep": sleep, "results": results()},
        )
        for name, sleep in (("ada", 0.4), ("bo", 0.2), ("cy", 0.0))
    ]

    rows = graded(tmp_path, repos, jobs=3, extra=["--stage", "1"])
    fair_share = f"{max((os.cpu_count() or 1) / 3, 0.5):g}"  # each learner's programs' cores

    assert [row.status for row in rows] == ["pass", "pass", "pass"], "all three met"
    assert [row.learner for row in rows] == ["ada", "bo", "cy"]
    for row in rows:
        argv = json.loads((tmp_path / "reports" / row.report).with_name("argv.json").read_text())
        assert argv[-6:] == ["--stage", "1", "--jobs", "1", "--cpus", fair_share]


def test_one_learner_at_a_time_leaves_the_checker_its_own_parallel_checks(tmp_path):
    repo = learner_repo(tmp_path / "ada", fake={"results": results()})

    [row] = graded(tmp_path, [repo], jobs=4)

    argv = json.loads((tmp_path / "reports" / row.report).with_name("argv.json").read_text())
    assert "--jobs" not in argv


def test_the_order_of_rows_depends_neither_on_input_nor_on_finishing_order(tmp_path):
    specs = {
        "ada": results(passing=("a", "b"), failing=("c",)),
        "bo": unchecked("pyproject.toml has no [tool.roadmap] table"),
        "cy": results(passing=("a",), failing=("b", "c")),
        "di": results(passing=("a",), failing=("b", "c")),
        "ed": results(passing=("a", "b", "c")),
    }
    repos = [
        learner_repo(tmp_path / name, author=name, fake={"results": doc, "sleep": 0.05 * n})
        for n, (name, doc) in enumerate(specs.items())
    ]

    forwards = graded(tmp_path, repos, jobs=2)
    backwards = graded(tmp_path, list(reversed(repos)), jobs=2)

    assert [row.learner for row in forwards] == ["bo", "cy", "di", "ada", "ed"]
    assert forwards == backwards


def test_a_checker_that_writes_no_results_gives_an_error_row_not_an_old_result(tmp_path):
    repo = learner_repo(tmp_path / "ada", fake={"results": results(passing=("a",))})
    [before] = graded(tmp_path, [repo])
    (repo / "fake.json").write_text(json.dumps({"exit": 2}))  # the checker dies this time

    [after] = graded(tmp_path, [repo])

    assert (before.status, after.status, after.exit_code) == ("pass", "error", 2)


def test_a_url_is_checked_from_a_clone_and_one_that_fails_to_clone_is_an_error_row(tmp_path):
    origin = learner_repo(tmp_path / "origin", author="Ada", fake={"results": results()})
    sources = unique([Source.of_url(f"file://{origin}"), Source.of_url(f"file://{tmp_path}/x")])
    scratch = tmp_path / "scratch"
    scratch.mkdir()

    rows = grade(sources, tmp_path / "reports", [], 2, scratch, fake_checker(tmp_path), "now")

    assert [(r.learner, r.status, r.exit_code) for r in rows] == [
        ("x", "error", 2),
        ("origin", "pass", 0),
    ]
    assert rows[0].message.startswith(f"could not clone file://{tmp_path}/x: ")
    argv = json.loads((tmp_path / "reports" / rows[1].report).with_name("argv.json").read_text())
    assert argv[0].startswith(str(scratch)), "checked from the clone"


def test_stuck_learners_come_first_errors_before_fewest_passing_then_by_name():
    def row(learner: str, status: str, passed: int) -> Row:
        document = {"status": status, "tests": []}
        return replace(
            Row.from_results(document, key=learner, learner=learner, repo="r"), passed=passed
        )

    rows = [
        row("ed", "pass", 9),
        row("Bo", "fail", 2),
        row("ada", "fail", 2),
        row("cy", "error", 0),
    ]

    assert [r.learner for r in sorted(rows, key=stuck_first)] == ["cy", "ada", "Bo", "ed"]
