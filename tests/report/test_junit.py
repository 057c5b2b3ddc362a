"""junit.xml parses in CI systems: one case per check, at most one outcome each, counts that
agree with the cases, and nothing XML 1.0 cannot hold."""

import pytest

from checks.report import junit
from tests.report.examples import ADVISORY, HELP, LIST_JSON, SUMMARY, passing, result, run_of
from tests.report.validate import assert_junit_xml


def outcomes(root) -> dict[str, tuple[str | None, str | None]]:
    """Each case's name: the tag of its outcome and that outcome's message."""
    found = {}
    for case in root.iter("testcase"):
        outcome = next(iter(case), None)
        tag = outcome.tag if outcome is not None else None
        found[case.get("name")] = (tag, outcome.get("message") if outcome is not None else None)
    return found


def test_each_status_is_the_element_ci_systems_expect_and_the_counts_agree():
    run = run_of(
        *passing("01-cli/installs"),
        result(HELP, "not-applicable", not_applicable="the manifest says cli = false"),
        result(LIST_JSON, "fail", problem="not JSON", got="[{'id': 1}]"),
        result(ADVISORY, "fail", problem="cli.py does file I/O"),
        result(SUMMARY, "blocked", blocked_by=LIST_JSON),
        result("01-cli/show-by-id", "error", problem="the checker crashed"),
    )

    root = assert_junit_xml(junit.render(run))

    assert outcomes(root) == {
        "01-cli/installs": (None, None),
        HELP: ("skipped", "does not apply: the manifest says cli = false"),
        LIST_JSON: ("failure", "not JSON"),
        f"{ADVISORY} (advisory)": ("skipped", "cli.py does file I/O"),
        SUMMARY: ("skipped", f"not checked: blocked by {LIST_JSON}"),
        "01-cli/show-by-id": ("error", "the checker crashed"),
    }
    counts = {k: root.get(k) for k in ("tests", "failures", "errors", "skipped")}
    assert counts == {"tests": "6", "failures": "1", "errors": "1", "skipped": "3"}


def test_a_suite_per_stage_and_the_root_adds_them_up():
    run = run_of(
        *passing("01-cli/installs"),
        result("02-layers/git-history", "fail", problem="1 commit(s)"),
        stage=2,
    )

    root = assert_junit_xml(junit.render(run))

    assert [s.get("name") for s in root] == ["stage 1 01-cli", "stage 2 02-layers"]
    assert (root.get("tests"), root.get("failures")) == ("2", "1")


def test_a_repository_that_could_not_be_checked_is_one_case_in_error_with_the_reason():
    root = assert_junit_xml(junit.render(run_of(error="no [tool.roadmap] table")))

    (case,) = root.iter("testcase")
    assert case.find("error").get("message") == (
        "Could not check this repository: no [tool.roadmap] table"
    )


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x0c", "\x7f", "\ufffe", "\ud800"])
def test_a_control_character_anywhere_a_learner_writes_still_parses(character):
    text = f"a{character}b"
    run = run_of(
        result(LIST_JSON, "fail", problem=text, got=text, fix=text),
        result(HELP, "not-applicable", not_applicable=text),
        result(ADVISORY, "fail", problem=text, expected=text),
        project=f"expense{character}tracker",
    )

    root = assert_junit_xml(junit.render(run))

    assert root.get("name") == "backend-roadmap expense\N{REPLACEMENT CHARACTER}tracker"
    assert outcomes(root)[LIST_JSON] == ("failure", "a\N{REPLACEMENT CHARACTER}b")
