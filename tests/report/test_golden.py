"""Golden reports: what a learner reads for one mutant, compared with a stored copy.

A change to a message shows up here as a diff to review. To accept it on purpose:
    UPDATE_GOLDEN=1 ./nox -s tests -- tests/report/test_golden.py
"""

import os
import re
import tempfile
from pathlib import Path

import pytest

from checks.course import mutants
from checks.harness.catalog import STAGES
from tests.conftest import run_checker

pytestmark = pytest.mark.slow
GOLDEN = Path(__file__).parent / "golden"
MUTANT = "13-summary-counts-instead-of-sums"


def normalize(text: str, report_dir: Path) -> str:
    """Hide what differs between machines and runs: temp paths, the report folder, times."""
    text = text.replace(str(report_dir), "<reports>")
    temp = re.escape(tempfile.gettempdir())
    text = re.sub(temp + r"/roadmap-check-[\w]+", "<workspace>", text)
    text = re.sub(r"[/\w.-]*/roadmap-check-[\w]+", "<workspace>", text)
    # which containment held depends on the machine (root, user namespaces, neither)
    text = re.sub(r"Containment: [^\n]*", "Containment: <this machine's>", text)
    return re.sub(r" in \d+\.\d+s\b", " in <seconds>s", text)


@pytest.fixture(scope="module")
def mutant_run(reference_1, tmp_path_factory):
    (mutant,) = [m for m in mutants.of_stage(STAGES[1]) if m.path.stem == MUTANT]
    project = tmp_path_factory.mktemp("golden") / "expense-tracker"
    import shutil

    shutil.copytree(reference_1, project)
    mutant.apply(project)
    report_dir = tmp_path_factory.mktemp("golden-report")
    return run_checker(project, report_dir, "--seed", "7")


@pytest.mark.parametrize(
    ("golden", "produce"),
    [
        ("terminal.txt", lambda run: run.stdout),
        ("report.md", lambda run: (run.report_dir / "report.md").read_text()),
    ],
)
def test_the_report_for_a_wrong_summary_matches_the_golden_copy(mutant_run, golden, produce):
    actual = normalize(produce(mutant_run), mutant_run.report_dir)
    path = GOLDEN / golden
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(actual)
    assert actual == path.read_text()
