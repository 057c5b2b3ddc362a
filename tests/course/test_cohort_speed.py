"""benchmarks/cohort_speed.py builds a realistic cohort; the cheap parts, without grading."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from checks.cohort.git_facts import last_commit

ROOT = Path(__file__).resolve().parents[2]


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "cohort_speed", ROOT / "benchmarks" / "cohort_speed.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


bench = _load()


def test_a_cohort_of_twenty_mixes_every_starter_preset_and_references_1_to_3() -> None:
    cohort = bench.plan(20)

    assert len({learner.folder for learner in cohort}) == 20
    assert len({learner.author for learner in cohort}) == 20
    assert {learner.kind for learner in cohort} == {
        "starter-expenses",
        "starter-bookmarks",
        "starter-inventory",
        "starter-habits",
        "reference-1",
        "reference-2",
        "reference-3",
    }


def test_a_small_cohort_needs_few_builds_and_builds_a_reference_before_any_starter() -> None:
    cohort = bench.plan(4)

    kinds = list(dict.fromkeys(learner.kind for learner in cohort))
    assert len(kinds) == 4
    assert kinds[0].startswith("reference-")  # its session holds cookiecutter


def test_names_stay_distinct_beyond_the_list_of_names() -> None:
    cohort = bench.plan(45)

    assert len({learner.folder for learner in cohort}) == 45
    assert len({learner.author for learner in cohort}) == 45


def test_an_enrolled_copy_keeps_the_history_and_names_the_learner_as_last_author(
    tmp_path: Path,
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n')
    identity = ["-c", "user.name=Template", "-c", "user.email=t@example.com"]
    for args in (["init", "--quiet"], ["add", "--all"], [*identity, "commit", "-qm", "start"]):
        subprocess.run(["git", *args], cwd=project, check=True, capture_output=True)

    bench.enrol(project, tmp_path / "ada-project", "Ada Learner")

    copied = last_commit(tmp_path / "ada-project")
    assert copied is not None and copied.author == "Ada Learner"
    original = last_commit(project)
    assert original is not None and original.author == "Template"
    assert (tmp_path / "ada-project" / "pyproject.toml").read_bytes() == (
        project / "pyproject.toml"
    ).read_bytes()  # so every copy reuses its project's dependency venv


def test_the_defaults_compare_twenty_learners_at_jobs_1_and_2_once() -> None:
    args = bench.parse_args([])

    assert (args.learners, args.runs, args.jobs, args.json) == (20, 1, 2, None)


@pytest.mark.parametrize("wrong", [["--jobs", "1"], ["--learners", "0"], ["--runs", "0"]])
def test_a_run_that_compares_nothing_is_refused(
    wrong: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        bench.parse_args(wrong)

    assert stopped.value.code == 2
    assert "must be" in capsys.readouterr().err
