"""A mentor grades a cohort in one command and gets one table."""

import json
import os
import subprocess
import sys
import tempfile

import pytest

from checks.cohort.cli import main, parse_args
from tests.test_cohort_fakes import fake_checker, git, learner_repo, results, unchecked


def grade(tmp_path, *args):
    """roadmap-grade as a mentor runs it, with a stand-in checker (milliseconds a repo)."""
    report_dir = tmp_path / "reports"
    code = main([*args, "--report-dir", str(report_dir)], checker=fake_checker(tmp_path))
    summary = report_dir / "cohort.json"
    rows = json.loads(summary.read_text()) if summary.exists() else []
    return code, rows


@pytest.mark.parametrize(
    ("documents", "exit_code"),
    [
        ([results(passing=("a",)), results(passing=("a",))], 0),
        ([results(passing=("a",)), results(failing=("a",))], 1),
        ([results(failing=("a",)), unchecked("no manifest"), results()], 2),
    ],
)
def test_the_exit_code_is_the_worst_of_the_runs(tmp_path, documents, exit_code):
    repos = [
        learner_repo(tmp_path / f"learner-{n}", fake={"results": d})
        for n, d in enumerate(documents)
    ]
    code, rows = grade(tmp_path, *map(str, repos))

    assert code == exit_code
    assert len(rows) == len(documents)


def test_a_missing_folder_is_one_readable_line_and_exit_2_before_anything_is_checked(tmp_path):
    present = learner_repo(tmp_path / "ada", fake={"results": results()})
    result = subprocess.run(
        [sys.executable, "-m", "checks.cohort", str(present), str(tmp_path / "dropped-out")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )

    assert result.returncode == 2
    assert result.stderr == (
        f"roadmap-grade: {tmp_path / 'dropped-out'} does not exist; "
        "give the folder of a learner's project\n"
    )
    assert not (tmp_path / "reports").exists(), "nothing was checked"


def test_a_bad_line_in_the_list_file_is_one_readable_line_and_exit_2(tmp_path, capsys):
    learner_repo(tmp_path / "ada", fake={"results": results()})
    listing = tmp_path / "cohort.txt"
    listing.write_text("ada\nbo\n")

    code = main(["--from", str(listing), "--report-dir", str(tmp_path / "reports")])

    assert code == 2
    assert capsys.readouterr().err == (
        f"roadmap-grade: {listing} line 2: {tmp_path / 'bo'} does not exist; "
        "give the folder of a learner's project\n"
    )
    assert not (tmp_path / "reports").exists()


def test_the_list_file_mixes_folders_and_urls_and_the_clones_are_deleted_after(
    tmp_path, monkeypatch
):
    learner_repo(
        tmp_path / "ada" / "expense-tracker",
        author="Ada",
        fake={"results": results(passing=("a",))},
    )
    origin = learner_repo(
        tmp_path / "bo" / "expense-tracker",
        author="Bo",
        fake={"results": results(failing=("a",))},
    )
    listing = tmp_path / "cohort.txt"
    listing.write_text(
        f"# cohort 3\n\nAda Lovelace  ada/expense-tracker\nfile://{origin}  # Bo, by URL\n"
    )
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))

    code, rows = grade(tmp_path, "--from", str(listing), "--jobs", "2")

    assert code == 1
    assert [(r["learner"], r["key"]) for r in rows] == [
        ("expense-tracker", f"file://{origin}"),  # no label: the URL's last part
        ("Ada Lovelace", str(tmp_path / "ada" / "expense-tracker")),
    ]
    assert list(scratch.iterdir()) == [], "the clone is gone"


def test_compared_with_last_week_a_learner_shows_new_passes_no_progress_or_complete(tmp_path):
    ada = learner_repo(tmp_path / "ada", fake={"results": results(failing=("a",))})
    bo = learner_repo(tmp_path / "bo", fake={"results": results(failing=("a",))})
    cy = learner_repo(tmp_path / "cy", fake={"results": results(passing=("a",))})
    grade(tmp_path, str(ada), str(bo), str(cy))
    week_1 = tmp_path / "week-1.json"
    (tmp_path / "reports" / "cohort.json").rename(week_1)
    (ada / "fake.json").write_text(json.dumps({"results": results(passing=("a",))}))

    code, rows = grade(tmp_path, str(ada), str(bo), str(cy), "--compare", str(week_1))

    assert code == 1
    since = json.loads(week_1.read_text())[0]["graded"][:10]
    assert [(r["learner"], r["newly_passing"], r["no_progress_since"]) for r in rows] == [
        ("bo", [], since),
        ("ada", ["a"], None),
        ("cy", [], None),
    ]
    table = (tmp_path / "reports" / "cohort.md").read_text()
    assert f"| no progress for 1 run (since {since}) |" in table
    assert "| complete; +1: a |" in table and "| complete |" in table


def test_no_progress_is_counted_in_runs_across_the_weekly_cohort_files(tmp_path, capsys):
    """The history is the chain of cohort.json files: each week compares with the last."""
    ada = learner_repo(tmp_path / "ada", fake={"results": results(failing=("a",))})
    previous: list[str] = []
    for week in (1, 2, 3, 4):
        report_dir = tmp_path / f"week-{week}"
        main([str(ada), "--report-dir", str(report_dir), *previous], fake_checker(tmp_path))
        previous = ["--compare", str(report_dir / "cohort.json")]

    [row] = json.loads((tmp_path / "week-4" / "cohort.json").read_text())
    week_2 = json.loads((tmp_path / "week-2" / "cohort.json").read_text())[0]["graded"][:10]
    assert (row["runs_without_progress"], row["no_progress_since"]) == (3, week_2)
    table = (tmp_path / "week-4" / "cohort.md").read_text()
    assert f"| no progress for 3 runs (since {week_2}) |" in table
    assert "no progress for 3 runs" in capsys.readouterr().out.splitlines()[-4]


def test_the_terminal_gets_a_table_that_fits_it_and_the_cohorts_totals(tmp_path, capsys):
    long_name = "Maximiliane Wolkenstein-Rodeneck"
    listing = tmp_path / "cohort.txt"
    listing.write_text(f"{long_name}  ada\nbo\n")
    learner_repo(tmp_path / "ada", fake={"results": results(passing=("01-cli/a",))})
    failing = ("01-cli/add-then-list-shows-the-record",)
    learner_repo(tmp_path / "bo", fake={"results": results(failing=failing)})

    code, _ = grade(tmp_path, "--from", str(listing))

    out = capsys.readouterr().out
    table = out[out.index("learner") : out.index("Reports: ")].splitlines()
    assert code == 1
    assert max(map(len, table)) <= 60, "COLUMNS=60, set by the fixture below"
    assert table[2].startswith("bo  ") and table[3].startswith("Maximilia…  ")
    assert table[-1] == "2 learners: 1 pass · 1 fail · 0 error"
    assert "|" not in out, "not the Markdown table"


@pytest.fixture(autouse=True)
def narrow_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    monkeypatch.delenv("FORCE_COLOR", raising=False)


def test_a_compare_file_that_is_missing_stops_before_anything_is_checked(tmp_path, capsys):
    ada = learner_repo(tmp_path / "ada", fake={"results": results()})

    code = main([str(ada), "--compare", str(tmp_path / "nope.json")], fake_checker(tmp_path))

    assert code == 2
    assert capsys.readouterr().err.startswith(
        f"roadmap-grade: cannot read {tmp_path / 'nope.json'}"
    )


def test_the_default_is_as_many_learners_at_once_as_the_machine_has_cores():
    assert parse_args(["ada"]).jobs == os.cpu_count()


@pytest.mark.parametrize(
    "args", [["ada", "--jobs", "0"], [], ["ada", "--from-artifacts", "artifacts"]]
)
def test_a_command_line_that_makes_no_sense_exits_2(args, capsys):
    with pytest.raises(SystemExit) as exited:
        parse_args(args)

    assert exited.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1].startswith("roadmap-grade: error: ")


@pytest.mark.slow
def test_a_real_cohort_named_alike_is_checked_in_parallel_one_row_each(
    starter, reference_1, tmp_path
):
    assert starter.name == reference_1.name == "expense-tracker"
    listing = tmp_path / "cohort.txt"
    listing.write_text(f"{starter}\nfile://{reference_1}\n")
    report_dir = tmp_path / "reports"

    code = main(["--from", str(listing), "--jobs", "2", "--report-dir", str(report_dir)])

    assert code == 1
    rows = json.loads((report_dir / "cohort.json").read_text())
    assert [(r["status"], r["passed"], r["required"], r["learner"]) for r in rows] == [
        ("fail", 2, 14, f"{starter.parent.name}/expense-tracker"),
        ("pass", 14, 14, f"{reference_1.parent.name}/expense-tracker"),
    ]
    assert rows[0]["first_failing"] == "01-cli/add-then-list"
    assert rows[1]["commit"] == git(reference_1, "log", "-1", "--format=%h")
    assert rows[0]["report"] != rows[1]["report"]
    assert all((report_dir / row["report"]).is_file() for row in rows)
