"""A mentor can summarise the reports the learners' CI uploaded, without checking again."""

import json
import shutil
import sys
from pathlib import Path

from checks.cohort.cli import main
from checks.report import exercism
from tests.report.examples import ADVISORY, HELP, SUMMARY, passing, result, run_of
from tests.test_cohort_fakes import fake_checker, learner_repo, results


def test_the_results_of_each_subfolder_become_a_row_and_nothing_is_checked(tmp_path, capsys):
    artifacts = tmp_path / "artifacts"
    for learner, document in {
        "ada": results(passing=("01-cli/a", "01-cli/b")),
        "bo": results(passing=("01-cli/a",), failing=("01-cli/b",)),
    }.items():
        folder = artifacts / learner / "roadmap-report"
        folder.mkdir(parents=True)
        (folder / "results.json").write_text(json.dumps({**document, "repo": "expense-tracker"}))
        (folder / "report.md").write_text("# Report\n")
    ran = tmp_path / "the-checker-ran"
    checker = [sys.executable, "-c", f"open({str(ran)!r}, 'w')"]

    code = main(
        ["--from-artifacts", str(artifacts), "--report-dir", str(tmp_path / "out")], checker
    )

    assert code == 1
    assert not ran.exists()
    rows = json.loads((tmp_path / "out" / "cohort.json").read_text())
    assert [(r["learner"], r["repo"], r["passed"], r["required"]) for r in rows] == [
        ("bo", "expense-tracker", 1, 2),
        ("ada", "expense-tracker", 2, 2),
    ]
    assert rows[0]["report"] == "../artifacts/bo/roadmap-report/report.md"
    assert (tmp_path / "out" / rows[0]["report"]).is_file()
    assert {"cohort.md", "cohort.csv", "cohort.html"} <= {
        p.name for p in (tmp_path / "out").iterdir()
    }


def test_a_results_file_that_cannot_be_read_is_an_error_row_and_exit_2(tmp_path):
    (tmp_path / "artifacts" / "ada").mkdir(parents=True)
    (tmp_path / "artifacts" / "ada" / "results.json").write_text("{ truncated")
    (tmp_path / "artifacts" / "bo").mkdir()
    (tmp_path / "artifacts" / "bo" / "results.json").write_text(json.dumps(results()))

    code = main(["--from-artifacts", str(tmp_path / "artifacts"), "--report-dir", str(tmp_path)])

    assert code == 2
    ada, bo = json.loads((tmp_path / "cohort.json").read_text())
    assert (ada["learner"], ada["status"], bo["status"]) == ("ada", "error", "pass")
    assert "could not be read" in ada["message"] and ada["message"].endswith("download it again")


def test_a_folder_without_results_is_one_readable_line_and_exit_2(tmp_path, capsys):
    (tmp_path / "artifacts").mkdir()

    code = main(["--from-artifacts", str(tmp_path / "artifacts"), "--report-dir", str(tmp_path)])

    assert code == 2
    assert capsys.readouterr().err == (
        f"roadmap-grade: no results.json under {tmp_path / 'artifacts'}; download each "
        "learner's roadmap-report artifact into a subfolder of it\n"
    )
    assert not (tmp_path / "cohort.json").exists()


def write_artifact(artifacts, learner, text):
    folder = artifacts / learner / "roadmap-report"
    folder.mkdir(parents=True)
    (folder / "results.json").write_text(text)


def test_reports_in_the_v3_shape_grade_as_the_roadmap_does_and_compare_with_older_ones(tmp_path):
    """A failed advisory check makes v3's status fail, yet the stage is complete; a checker
    bug on one check is v3's fail, yet the run could not be graded (ADR 14). The earlier
    cohort was graded from reports written before ADR 14."""
    old = Path(__file__).parent / "report" / "results-before-adr-14.json"
    write_artifact(tmp_path / "week-1", "ada", old.read_text())
    assert main(["--from-artifacts", str(tmp_path / "week-1"), "--report-dir", str(tmp_path)]) == 1
    (tmp_path / "cohort.json").rename(tmp_path / "week-1.json")

    complete = run_of(
        *passing("01-cli/installs", SUMMARY),
        result(HELP, "not-applicable", not_applicable="cli = false"),
        result(ADVISORY, "fail", problem="cli.py does file I/O"),
    )
    crashed = run_of(*passing("01-cli/installs"), result(SUMMARY, "error", problem="crashed"))
    week_2 = tmp_path / "week-2"
    write_artifact(week_2, "ada", exercism.render(complete))
    write_artifact(week_2, "bo", exercism.render(crashed))
    assert json.loads(exercism.render(complete))["status"] == "fail"  # v3's word

    earlier = tmp_path / "week-1.json"
    code = main(
        [
            "--from-artifacts",
            str(week_2),
            "--report-dir",
            str(tmp_path / "out"),
            "--compare",
            str(earlier),
        ]
    )

    assert code == 2
    bo, ada = json.loads((tmp_path / "out" / "cohort.json").read_text())
    assert (ada["status"], ada["exit_code"], ada["passed"], ada["required"]) == ("pass", 0, 2, 2)
    assert ada["passing"] == ["01-cli/installs", SUMMARY]
    assert ada["newly_passing"] == [SUMMARY]
    assert (bo["status"], bo["exit_code"], bo["failing"]) == ("error", 2, [SUMMARY])
    assert bo["message"] == f"The checker itself failed on {SUMMARY}; please report it."


def test_rows_from_artifacts_and_rows_graded_from_folders_match_each_other(tmp_path):
    """One week a mentor grades the folders, the next the learners' CI artifacts, the week
    after the folders again: --compare finds each learner by the label the mentor gives,
    and the same results give the same row whichever way they came."""
    ada = learner_repo(tmp_path / "ada-expenses", fake={"results": results(failing=("a",))})
    bo = learner_repo(tmp_path / "bo-bookmarks", fake={"results": results(passing=("a",))})
    listing = tmp_path / "cohort.txt"
    listing.write_text(f"Ada  {ada}\nBo  {bo}\n")
    checker = fake_checker(tmp_path)
    week_1, week_2, week_3 = (tmp_path / f"week-{n}" for n in (1, 2, 3))
    assert main(["--from", str(listing), "--report-dir", str(week_1)], checker) == 1
    for row in json.loads((week_1 / "cohort.json").read_text()):
        # the same results.json, as each learner's CI uploaded it; folders named by label
        folder = tmp_path / "artifacts" / row["learner"].lower() / "roadmap-report"
        folder.mkdir(parents=True)
        shutil.copy(week_1 / Path(row["report"]).with_name("results.json"), folder)

    compare_1 = ["--compare", str(week_1 / "cohort.json")]
    artifacts = ["--from-artifacts", str(tmp_path / "artifacts")]
    assert main([*artifacts, "--report-dir", str(week_2), *compare_1], checker) == 1
    compare_2 = ["--compare", str(week_2 / "cohort.json")]
    assert main(["--from", str(listing), "--report-dir", str(week_3), *compare_2], checker) == 1

    graded, collected, again = (
        json.loads((week / "cohort.json").read_text()) for week in (week_1, week_2, week_3)
    )
    assert [r["learner"] for r in collected] == ["ada", "bo"]
    assert [(r["newly_passing"], r["runs_without_progress"]) for r in collected] == [
        ([], 1),  # matched, not "new in this run"
        ([], None),  # complete
    ]
    assert [r["runs_without_progress"] for r in again] == [2, None]
    facts = ("stage", "passed", "required", "status", "exit_code", "first_failing", "failing")
    facts += ("passing", "message", "advisory_passed", "advisory", "advisory_failing")
    for folder_row, artifact_row in zip(graded, collected, strict=True):
        assert [folder_row[f] for f in facts] == [artifact_row[f] for f in facts]
