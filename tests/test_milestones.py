"""Every check belongs to a milestone of its stage's brief, and reports say which."""

import json
import re

import pytest

from checks.course.paths import ROOT
from checks.harness.catalog import STAGES, all_checks, check_by_id
from checks.harness.results import CheckResult, Run
from checks.report import exercism

WRITTEN = [stage for stage in STAGES.values() if stage.written]


def headings(stage) -> dict[int, str]:
    """The "### N. title" headings of the brief's "## Milestones" section."""
    brief = (ROOT / "stages" / stage.slug / "README.md").read_text("utf-8")
    section = brief.split("\n## Milestones\n", 1)[1].split("\n## ", 1)[0]
    return {int(n): title.strip() for n, title in re.findall(r"^### (\d+)\. (.+)$", section, re.M)}


@pytest.mark.parametrize("stage", WRITTEN, ids=lambda s: s.slug)
def test_every_check_has_a_milestone_that_is_a_heading_of_its_brief(stage):
    brief = headings(stage)
    declared = stage.milestones()
    assert declared, f"checks/{stage.package}/__init__.py declares no MILESTONES"
    for number, (milestone, _) in declared.items():
        assert brief.get(number) == milestone.title, (
            f"milestone {number} of {stage.slug} is {milestone.title!r} in its MILESTONES but "
            f"{brief.get(number)!r} in stages/{stage.slug}/README.md"
        )
    checks = [check for check in all_checks() if check.stage == stage]
    assert [check.id for check in checks if check.milestone is None] == []
    slugs = [slug for _, group in declared.values() for slug in group]
    assert sorted(slugs) == sorted(check.id.split("/")[1] for check in checks), (
        "each check named exactly once, and only checks that exist"
    )


def test_a_stage_lists_its_checks_in_the_order_of_its_milestones():
    for stage in WRITTEN:
        numbers = [c.milestone.number for c in all_checks() if c.stage == stage and c.milestone]
        assert numbers == sorted(numbers), stage.slug


def test_results_json_gives_each_check_its_milestone_as_task_id():
    run = Run(repo="expense-tracker", project="expense-tracker", stage=1, seed=7)
    run.results = [
        CheckResult(check_by_id("01-cli/installs"), "pass"),
        CheckResult(check_by_id("01-cli/summary"), "fail", problem="wrong"),
    ]
    tests = json.loads(exercism.render(run))["tests"]
    assert [(t["id"], t["task_id"]) for t in tests] == [
        ("01-cli/installs", 1),
        ("01-cli/summary", 5),
    ]
