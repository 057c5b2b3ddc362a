"""results.json is valid Exercism v3 and never tells a v3 reader something false (ADR 14);
the roadmap's own statuses travel beside v3's."""

import json
from pathlib import Path

import pytest

from checks.harness.catalog import check_by_id
from checks.harness.results import Run
from checks.report import exercism
from tests.report.examples import ADVISORY, HELP, LIST_JSON, SUMMARY, passing, result, run_of
from tests.report.validate import assert_results_json, v3_problems

# What the checker wrote before ADR 14, by its renderer of then, for a run where one check
# passes, one is blocked, one does not apply and an advisory one fails.
OLD_SHAPE = json.loads((Path(__file__).parent / "results-before-adr-14.json").read_text())


def rendered(run: Run) -> dict:
    document = json.loads(exercism.render(run))
    assert_results_json(document)
    return document


def by_id(document: dict) -> dict[str, dict]:
    return {check["id"]: check for check in exercism.checks_of(document)}


def test_a_run_with_every_kind_of_result_is_valid_v3_and_keeps_the_roadmap_statuses():
    run = run_of(
        *passing("01-cli/installs"),
        result(HELP, "not-applicable", not_applicable="the manifest says cli = false"),
        result(LIST_JSON, "fail", problem="not JSON", got="[{'id': 1}]", try_lines=["x"]),
        result(ADVISORY, "fail", problem="cli.py does file I/O"),
        result(SUMMARY, "blocked", blocked_by=LIST_JSON),
    )

    document = rendered(run)

    checks = by_id(document)
    assert {i: (c.get("status"), c["roadmap_status"]) for i, c in checks.items()} == {
        "01-cli/installs": ("pass", "pass"),
        LIST_JSON: ("fail", "fail"),
        ADVISORY: ("fail", "fail"),
        SUMMARY: ("fail", "blocked"),  # it did fail, at a step another failing check grades
        HELP: (None, "not-applicable"),  # not run on this project: no v3 test at all
    }
    assert [t["id"] for t in document["tests"]] == ["01-cli/installs", LIST_JSON, ADVISORY, SUMMARY]
    assert checks[HELP]["not_applicable"] == "the manifest says cli = false"
    assert checks[SUMMARY]["blocked_by"] == LIST_JSON
    assert checks[SUMMARY]["message"] == f"not checked: blocked by {LIST_JSON}"
    assert checks[LIST_JSON]["message"] == "not JSON\ngot: [{'id': 1}]"
    assert (document["status"], document["roadmap_status"]) == ("fail", "fail")
    assert "message" not in document  # v3: a top-level message only with error
    assert document["next"] == f"Next: fix {LIST_JSON} — not JSON"


def test_a_complete_stage_with_a_failed_advisory_check_is_v3_fail_and_roadmap_pass():
    run = run_of(*passing("01-cli/installs", LIST_JSON), result(ADVISORY, "fail", problem="I/O"))

    document = rendered(run)

    assert run.exit_code == 0
    assert (document["status"], document["roadmap_status"]) == ("fail", "pass")
    assert document["verdict"] == "Stage 1 complete: all 2 required checks pass."
    assert by_id(document)[ADVISORY]["required"] is False


def test_a_check_that_does_not_apply_leaves_a_complete_stage_v3_pass():
    run = run_of(*passing("01-cli/installs"), result(HELP, "not-applicable", not_applicable="x"))

    document = rendered(run)

    assert (document["status"], document["roadmap_status"]) == ("pass", "pass")
    assert [t["id"] for t in document["tests"]] == ["01-cli/installs"]
    assert [c["id"] for c in document["does_not_apply"]] == [HELP]


def test_a_repository_that_could_not_be_checked_is_v3_error_with_its_reason():
    document = rendered(run_of(error="no [tool.roadmap] table in pyproject.toml"))

    assert (document["status"], document["roadmap_status"]) == ("error", "error")
    assert document["message"] == (
        "Could not check this repository: no [tool.roadmap] table in pyproject.toml"
    )
    assert document["tests"] == []


def test_a_checker_bug_on_one_check_is_a_test_in_error_and_the_run_v3_fail_exit_2():
    crash = result(SUMMARY, "error", problem="the checker crashed: KeyError: 'x'")
    run = run_of(*passing("01-cli/installs"), crash)

    document = rendered(run)

    assert run.exit_code == 2
    assert (document["status"], document["roadmap_status"]) == ("fail", "error")
    assert "message" not in document  # some checks ran, so it is not v3's error
    assert document["verdict"] == f"The checker itself failed on {SUMMARY}; please report it."
    assert by_id(document)[SUMMARY]["message"] == "the checker crashed: KeyError: 'x'"


def test_when_every_check_errored_the_run_is_v3_error_with_a_message():
    document = rendered(run_of(result(SUMMARY, "error", problem="the checker crashed")))

    assert (document["status"], document["roadmap_status"]) == ("error", "error")
    assert document["message"] == f"The checker itself failed on {SUMMARY}; please report it."


def test_a_failure_without_details_still_has_the_message_v3_requires():
    document = rendered(run_of(result(LIST_JSON, "fail")))

    assert document["tests"][0]["message"] == check_by_id(LIST_JSON).criterion


def test_escape_and_control_characters_a_program_printed_do_not_reach_results_json():
    printed = "\x1b[31mred\x1b[0m\x00\x07 and a lone \ud800 surrogate"
    failure = result(LIST_JSON, "fail", problem="bad", got=printed, try_lines=[f"echo {printed}"])

    test = rendered(run_of(failure))["tests"][0]

    for text in (test["message"], test["test_code"]):
        assert not any(ord(c) < 0x20 and c != "\n" for c in text), text
        assert "\x1b" not in text and "\ud800" not in text
    assert "got: red\N{REPLACEMENT CHARACTER}" in test["message"]
    exercism.render(run_of(failure)).encode("utf-8")  # writable as the file's UTF-8


def test_the_commands_to_paste_are_the_test_code_in_full_and_output_is_not_used():
    """v3 keeps `output` (500 characters at most) for what the learner's code printed on
    its own; the checker's commands are the code of the test."""
    commands = [f"expense-tracker add --amount {n} --category food-{n:04}" for n in range(40)]
    test = rendered(run_of(result(LIST_JSON, "fail", problem="x", try_lines=commands)))["tests"][0]

    assert test["test_code"] == "\n".join(commands)
    assert len(test["test_code"]) > 500
    assert "output" not in test


@pytest.mark.parametrize(
    ("change", "broken"),
    [
        (lambda d: d["tests"][1].update(status="blocked"), "a status v3 does not know"),
        (lambda d: d["tests"][0].update(status="fail"), "a failure with no message"),
        (lambda d: d["tests"][0].update(output="x" * 501), "output over 500 characters"),
        (lambda d: d.update(status="pass"), "pass beside a failed test"),
        (lambda d: d.update(message="why"), "a top-level message without error"),
        (lambda d: d.update(status="error", message="why"), "error although tests passed"),
        (lambda d: d.update(status="error"), "error without a message"),
        (lambda d: d.pop("tests"), "no tests although it is not error"),
    ],
)
def test_the_schema_rejects_each_rule_broken(change, broken):
    """The schema is only a proof if it can fail: each v3 rule, broken once."""
    document = rendered(run_of(*passing("01-cli/installs"), result(LIST_JSON, "fail", problem="x")))
    change(document)
    assert v3_problems(document), broken


def test_what_the_checker_wrote_before_is_not_v3():
    problems = v3_problems(OLD_SHAPE)

    assert any("'blocked' is not one of" in p for p in problems)
    assert any("'not-applicable' is not one of" in p for p in problems)


def test_the_readers_give_the_roadmap_statuses_from_either_shape():
    new = json.loads(
        exercism.render(
            run_of(
                *passing("01-cli/installs"),
                result(SUMMARY, "blocked", blocked_by=LIST_JSON),
                result(HELP, "not-applicable", not_applicable="cli = false"),
                result(ADVISORY, "fail", problem="cli.py does file I/O"),
            )
        )
    )
    for document in (OLD_SHAPE, new):
        statuses = {c["id"]: exercism.roadmap_status(c) for c in exercism.checks_of(document)}
        assert statuses == {
            "01-cli/installs": "pass",
            SUMMARY: "blocked",
            HELP: "not-applicable",
            ADVISORY: "fail",
        }
    assert exercism.roadmap_status(OLD_SHAPE) == exercism.roadmap_status(new) == "fail"
