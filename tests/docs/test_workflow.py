"""The Pages workflow is valid and publishes the strict build on pushes to main."""

import subprocess
import sys

import yaml

from tests.docs.conftest import ROOT

WORKFLOW = ROOT / ".github/workflows/docs.yml"
SCHEMA_CHECK = [sys.executable, "-m", "check_jsonschema", "--builtin-schema"]
SCHEMA_CHECK += ["vendor.github-workflows"]


def test_the_docs_workflow_is_valid_against_the_github_workflow_schema():
    # check-jsonschema ships the schema, so this runs offline.
    result = subprocess.run(
        [*SCHEMA_CHECK, str(WORKFLOW)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_docs_workflow_builds_strictly_and_deploys_to_pages_on_pushes_to_main():
    workflow = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True
    assert triggers["push"]["branches"] == ["main"]
    assert workflow["permissions"]["pages"] == "write"
    assert workflow["permissions"]["id-token"] == "write"
    steps = [
        step.get("uses", step.get("run", ""))
        for job in workflow["jobs"].values()
        for step in job["steps"]
    ]
    assert "./nox -s docs" in steps  # the same strict build as on a laptop
    for action in ("configure-pages", "upload-pages-artifact", "deploy-pages"):
        assert any(step.startswith(f"actions/{action}@") for step in steps), action
