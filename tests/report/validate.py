"""What a results.json and a junit.xml must be for the tools that read them (no tests here).

results.json is held to Exercism's v3 rules by a JSON Schema written from the interface
(exercism-v3.schema.json), and to the roadmap's extension (ADR 14) by the checks below.
junit.xml is held to what CI systems parse: testsuites > testsuite > testcase, at most one
outcome per case, and counts that agree with the cases.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema

SCHEMA = json.loads((Path(__file__).parent / "exercism-v3.schema.json").read_text())
V3_OF = {"pass": "pass", "fail": "fail", "error": "error", "blocked": "fail"}
OUTCOMES = ("failure", "error", "skipped")


def v3_problems(document: dict[str, Any]) -> list[str]:
    """Every way `document` breaks the Exercism v3 interface, as `path: problem` lines."""
    validator = jsonschema.Draft202012Validator(SCHEMA)
    return [f"{error.json_path}: {error.message}" for error in validator.iter_errors(document)]


def assert_results_json(document: dict[str, Any]) -> None:
    """Valid v3, and the roadmap's own status beside each v3 one, in agreement with it."""
    assert v3_problems(document) == []
    assert document["roadmap_status"] in ("pass", "fail", "error")
    for test in document["tests"]:
        assert V3_OF[test["roadmap_status"]] == test["status"], test
        assert ("blocked_by" in test) == (test["roadmap_status"] == "blocked"), test
    for check in document.get("does_not_apply", []):
        assert check["roadmap_status"] == "not-applicable" and check["not_applicable"], check
        assert "status" not in check, "a check that did not run is no v3 test"


def assert_junit_xml(text: str) -> ET.Element:
    """junit.xml as CI systems read it; returns its root."""
    root = ET.fromstring(text)  # raises on anything XML 1.0 cannot hold
    assert root.tag == "testsuites"
    suites = list(root)
    assert all(suite.tag == "testsuite" for suite in suites)
    for element in (root, *suites):
        cases = list(element.iter("testcase"))
        assert int(element.get("tests", "-1")) == len(cases), element.attrib
        for tag, attribute in zip(OUTCOMES, ("failures", "errors", "skipped"), strict=True):
            counted = sum(case.find(tag) is not None for case in cases)
            assert int(element.get(attribute, "-1")) == counted, (attribute, element.attrib)
    for suite in suites:
        assert all(case.tag == "testcase" for case in suite), suite.attrib
        for case in suite:
            assert case.get("name") and case.get("classname"), case.attrib
            outcomes = [child.tag for child in case]
            assert len(outcomes) <= 1 and set(outcomes) <= set(OUTCOMES), outcomes
    return root
