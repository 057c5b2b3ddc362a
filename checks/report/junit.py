"""junit.xml for CI systems that show test results: one test case per check.

A case holds at most one of `<failure>`, `<error>` or `<skipped>`, and the counts on every
suite, and on the root, are counted from the cases written, so they cannot disagree.
Learner text goes through `printable`: XML 1.0 cannot hold most control characters.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from checks.harness.results import CheckResult, Run
from checks.report.text import printable

COUNTED = {"failure": "failures", "error": "errors", "skipped": "skipped"}


def render(run: Run) -> str:
    suites = ET.Element("testsuites", name=printable(f"backend-roadmap {run.project}"))
    if run.error:  # nothing was checked: one case in error says why, where CI shows it
        suite = ET.SubElement(suites, "testsuite", name="could not check")
        case = ET.SubElement(suite, "testcase", classname="roadmap-check", name="can be checked")
        ET.SubElement(case, "error", message=printable(run.verdict))
        _count(suite, "0.000")
    for stage in run.stages:
        results = run.of_stage(stage)
        if not results:
            continue
        suite = ET.SubElement(suites, "testsuite", name=f"stage {stage.number} {stage.slug}")
        for result in results:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=stage.slug,
                name=result.check.id + ("" if result.check.required else " (advisory)"),
                time=f"{result.seconds:.3f}",
            )
            _outcome(case, result)
        _count(suite, f"{sum(r.seconds for r in results):.3f}")
    _count(suites, f"{sum(r.seconds for r in run.results):.3f}")
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def _outcome(case: ET.Element, result: CheckResult) -> None:
    """The one element, if any, that says how a check ended.

    Blocked and not-applicable checks are skipped: they are no failure of their own. A
    failed advisory check is skipped too: CI shows it without failing the build.
    """
    if result.passed:
        return
    if result.status == "blocked":
        ET.SubElement(case, "skipped", message=f"not checked: blocked by {result.blocked_by}")
        return
    if result.status == "not-applicable":
        message = result.not_run
        ET.SubElement(case, "skipped", message=printable(message))
        return
    tag = "error" if result.status == "error" else "failure"
    if tag == "failure" and not result.check.required:
        tag = "skipped"
    body = "\n".join(f"{k}: {v}" for k, v in result.details() if k != "problem")
    element = ET.SubElement(case, tag, message=printable(result.problem or ""))
    element.text = printable(body)


def _count(element: ET.Element, time: str) -> None:
    """tests, failures, errors and skipped as counted from the cases under `element`."""
    cases = list(element.iter("testcase"))
    element.set("tests", str(len(cases)))
    for tag, attribute in COUNTED.items():
        element.set(attribute, str(sum(case.find(tag) is not None for case in cases)))
    element.set("time", time)
