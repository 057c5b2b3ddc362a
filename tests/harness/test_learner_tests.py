"""What a report shows of the learner's pytest run: why a module could not be collected."""

import os
import subprocess
import sys
from pathlib import Path

from checks.harness.doors.tools.learner_tests import pytest_summary

BROKEN_SUITE = {
    "tracker/__init__.py": "",
    "tracker/helper.py": "import tracker.missing\n",
    "tests/test_helper.py": "from tracker import helper\n\n\ndef test_helper():\n    pass\n",
    "tests/test_syntax.py": "def test_b(:\n    pass\n",
    "tests/test_ok.py": "def test_ok():\n    pass\n",
}


def _pytest_output(project: Path, files: dict[str, str]) -> str:
    for name, text in files.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=project, capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTHONPATH": str(project)},
    )  # fmt: skip
    assert done.returncode == 2, done.stdout  # interrupted by the collection errors
    return done.stdout


def test_each_collection_error_shows_the_learners_frame_and_the_exception(tmp_path):
    summary = pytest_summary(_pytest_output(tmp_path, BROKEN_SUITE))

    assert summary.splitlines()[:4] == [
        "tests/test_helper.py could not be collected:",
        "  tracker/helper.py:1: in <module>",
        "      import tracker.missing",
        "  E   ModuleNotFoundError: No module named 'tracker.missing'",
    ]
    assert "tests/test_syntax.py could not be collected:" in summary
    assert '  E     File "tests/test_syntax.py", line 1' in summary  # relative, as in the repo
    assert "  E   SyntaxError: invalid syntax" in summary
    assert "Interrupted: 2 errors during collection" in summary
    assert str(tmp_path) not in summary
    assert "site-packages" not in summary and "importlib" not in summary
    assert len(summary) < 1200


def test_many_collection_errors_are_shown_up_to_a_bound():
    lines = []
    for n in range(8):
        lines += [f"{'_' * 20} ERROR collecting tests/test_{n}.py {'_' * 20}"]
        lines += [f"/usr/lib/python3.12/frame_{k}.py:{k}: in call\n    x()" for k in range(50)]
        lines += [f"tests/test_{n}.py:1: in <module>", "    import nowhere" + "x" * 500]
        lines += ["E   ModuleNotFoundError: No module named 'nowhere'"]
    lines += ["=" * 20 + " short test summary info " + "=" * 20]
    lines += [f"ERROR tests/test_{n}.py" for n in range(8)]
    lines += ["!!! Interrupted: 8 errors during collection !!!"]

    summary = pytest_summary("\n".join(lines))

    assert summary.count("could not be collected:") == 5
    assert "… and 3 more modules that could not be collected" in summary
    assert "ERROR tests/test_0.py" not in summary  # said above, with why
    assert "ERROR tests/test_7.py" in summary  # not shown above: still named
    assert "frame_" not in summary
    assert max(len(line) for line in summary.splitlines()) <= 202
    assert summary.endswith("!!! Interrupted: 8 errors during collection !!!")


def test_a_run_without_collection_errors_keeps_pytests_short_summary():
    header = "=" * 10 + " short test summary info " + "=" * 10
    failed = "FAILED tests/test_a.py::test_a - assert 1 == 2"
    output = "\n".join(["F.", header, failed, "1 failed, 1 passed in 0.01s"])
    assert pytest_summary(output).splitlines() == [
        "FAILED tests/test_a.py::test_a - assert 1 == 2",
        "1 failed, 1 passed in 0.01s",
    ]
