"""A brief is read in evenings: each milestone fits one, and the checker says when it's done.

The budget, as docs/guides/contributing.md states it for whoever writes a brief:

- an evening is 2 to 3 hours: reading a milestone closely, building it, running the
  commands it shows and the checker, and committing;
- a milestone is at most MILESTONE_WORDS words of brief, code and folds included (what
  can be read closely and built in that time: stages 1 to 3 stay under half of it);
- a brief shows at most BRIEF_FACTOR times as many lines as the longest of stages 1 to 3
  does; what is longer is folded (a <details> block counts as its one summary line);
- a brief says how many evenings it takes: one per milestone.

Each milestone ends with how to run the checker and the checks it turns green, which must
be exactly the ones its stage's MILESTONES gives it (the rubric and results.json group by
them), advisory ones marked, so the brief and the reports cannot drift apart.
"""

from __future__ import annotations

import math
import re

import pytest

from checks.harness.catalog import STAGES, Stage, all_checks
from tests.docs.conftest import ROOT

MILESTONE_WORDS = 450
BRIEF_FACTOR = 1.3
EVENING = "2 to 3 hours"
FIRST_STAGES = (1, 2, 3)  # the yardstick for a brief's length

WRITTEN = [stage for stage in STAGES.values() if (ROOT / "stages" / stage.slug).is_dir()]
FOLD = re.compile(r"^<details markdown>\n<summary>.*?</summary>\n.*?^</details>\n", re.S | re.M)
CHECK_ID = re.compile(r"`(\d\d-[a-z]+/[a-z0-9-]+)`( \(advisory\))?")
RUN = "./nox -s check -- ../"


def brief(stage: Stage) -> str:
    return (ROOT / "stages" / stage.slug / "README.md").read_text("utf-8")


def visible_lines(text: str) -> int:
    """The lines a reader scrolls past: a folded block counts as its summary line."""
    return len(FOLD.sub("<summary>\n", text).splitlines())


def milestones(stage: Stage) -> dict[int, str]:
    """Each "### N. title" section of the brief's "## Milestones", by N, heading included."""
    section = brief(stage).split("\n## Milestones\n", 1)[1].split("\n## ", 1)[0]
    found = re.finditer(r"^### (\d+)\. .*?(?=^### |\Z)", section, re.S | re.M)
    return {int(m.group(1)): m.group(0) for m in found}


def item(milestone: str, label: str) -> str:
    """A `- **label:** ...` list item, continuation lines joined."""
    found = re.search(rf"^- \*\*{label}:\*\* (.*?)(?=^- |^\S|\Z)", milestone, re.S | re.M)
    assert found, f"no '- **{label}:**' item in:\n{milestone[:200]}"
    return " ".join(found.group(1).split())


EVERY_MILESTONE = [
    pytest.param(stage, number, id=f"{stage.slug}-{number}")
    for stage in WRITTEN
    for number in milestones(stage)
]


@pytest.mark.parametrize(("stage", "number"), EVERY_MILESTONE)
def test_each_milestone_fits_one_evening(stage: Stage, number: int) -> None:
    words = len(milestones(stage)[number].split())
    assert words <= MILESTONE_WORDS, (
        f"milestone {number} of {stage.slug} has {words} words, more than an evening's "
        f"{MILESTONE_WORDS}: split it in two, or move what only some readers need into a fold "
        "elsewhere (the budget counts folds inside a milestone too)"
    )


@pytest.mark.parametrize("stage", WRITTEN, ids=lambda s: s.slug)
def test_a_brief_shows_at_most_1_3_times_the_longest_of_stages_1_to_3(stage: Stage) -> None:
    longest = max(visible_lines(brief(STAGES[n])) for n in FIRST_STAGES)
    allowed = math.floor(BRIEF_FACTOR * longest)
    shown = visible_lines(brief(stage))
    assert shown <= allowed, (
        f"stages/{stage.slug}/README.md shows {shown} lines, more than {BRIEF_FACTOR} x "
        f"{longest} = {allowed}: fold what a reader can skip on a first evening (another "
        "domain, another OS, long reference code, troubleshooting) in <details markdown>"
    )


@pytest.mark.parametrize("stage", WRITTEN, ids=lambda s: s.slug)
def test_a_brief_says_how_many_evenings_it_takes(stage: Stage) -> None:
    time = r"^\*\*Time:\*\* about (\d+) evenings of (.+?), one per milestone"
    said = re.search(time, brief(stage), re.M)
    assert said, f"stages/{stage.slug}/README.md gives no '**Time:** about N evenings of ...'"
    assert int(said.group(1)) == len(milestones(stage))
    assert said.group(2) == EVENING


@pytest.mark.parametrize(("stage", "number"), EVERY_MILESTONE)
def test_each_milestone_runs_the_checker_and_names_what_it_turns_green(
    stage: Stage, number: int
) -> None:
    milestone = milestones(stage)[number]
    assert RUN in item(milestone, "Run the checker")
    listed = CHECK_ID.findall(item(milestone, "Turns green"))
    _, slugs = stage.milestones().get(number, (None, ()))
    checks = {check.id: check for check in all_checks() if check.stage == stage}
    expected = [f"{stage.slug}/{slug}" for slug in slugs]
    assert [check_id for check_id, _ in listed] == expected, (
        f"milestone {number} of {stage.slug}: the brief's 'Turns green' and its MILESTONES in "
        f"checks/{stage.package}/__init__.py must name the same checks, in the same order"
    )
    for check_id, advisory in listed:
        assert bool(advisory) == (not checks[check_id].required), f"{check_id}: (advisory)?"


@pytest.mark.parametrize("stage", WRITTEN, ids=lambda s: s.slug)
def test_a_brief_names_its_advisory_checks_where_it_describes_them(stage: Stage) -> None:
    section = brief(stage).split("\n## The checks for this stage\n", 1)[1].split("\n## ", 1)[0]
    advisory = [c.id for c in all_checks() if c.stage == stage and not c.required]
    if advisory:
        assert f"every stage-{stage.number} check is required" not in " ".join(section.split())
    for check_id in advisory:
        assert f"`{check_id}`" in section, f"{check_id} is advisory: say so, by its id"


def test_the_contributing_guide_states_the_budget_these_tests_hold() -> None:
    guide = " ".join((ROOT / "docs/guides/contributing.md").read_text("utf-8").split())
    for figure in (EVENING, f"{MILESTONE_WORDS} words", f"{BRIEF_FACTOR} times"):
        assert figure in guide, f"docs/guides/contributing.md does not say {figure!r}"
