"""junit.xml for CI systems that show test results: one test case per check."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from checks.report.model import Run


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
            skipped=str(sum(r.status == "fail" and not r.check.required for r in results)),
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
            # An advisory check advises: CI systems show it without failing the build.
            tag = {"error": "error", "fail": "failure"}[result.status]
            if not result.check.required and result.status == "fail":
                tag = "skipped"
            body = "\n".join(f"{k}: {v}" for k, v in result.details() if k != "problem")
            ET.SubElement(case, tag, message=result.problem or "").text = body
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
