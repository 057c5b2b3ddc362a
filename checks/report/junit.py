"""junit.xml for CI systems that show test results: one test case per check."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from checks.harness.results import Run
from checks.report.text import printable


def render(run: Run) -> str:
    suites = ET.Element("testsuites", name=f"backend-roadmap {run.project}")
    for stage in run.stages:
        results = run.of_stage(stage)
        if not results:
            continue
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=f"stage {stage.number} {stage.slug}",
            tests=str(len(results)),
            failures=str(sum(r.status == "fail" and r.check.required for r in results)),
            skipped=str(sum(_skipped(r.status, r.check.required) for r in results)),
            errors=str(sum(r.status == "error" for r in results)),
            time=f"{sum(r.seconds for r in results):.3f}",
        )
        for result in results:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=stage.slug,
                name=result.check.id + ("" if result.check.required else " (advisory)"),
                time=f"{result.seconds:.3f}",
            )
            if result.passed:
                continue
            if result.status == "blocked":
                message = f"not checked: blocked by {result.blocked_by}"
                ET.SubElement(case, "skipped", message=message)
                continue
            if result.status == "not-applicable":
                message = f"does not apply: {result.not_applicable}"
                ET.SubElement(case, "skipped", message=printable(message))
                continue
            # An advisory check advises: CI systems show it without failing the build.
            tag = {"error": "error", "fail": "failure"}[result.status]
            if not result.check.required and result.status == "fail":
                tag = "skipped"
            body = "\n".join(f"{k}: {v}" for k, v in result.details() if k != "problem")
            element = ET.SubElement(case, tag, message=printable(result.problem or ""))
            element.text = printable(body)
    ET.indent(suites)
    return _document(suites)


def _skipped(status: str, required: bool) -> bool:
    """Blocked and not-applicable checks, and failed advisory ones, are shown as skipped."""
    return status in ("blocked", "not-applicable") or (status == "fail" and not required)


def _document(suites: ET.Element) -> str:
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
