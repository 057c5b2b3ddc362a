"""Finding the learner's test files where pytest finds them, read as text."""

import os
import subprocess
import sys
from pathlib import Path

from checks.harness.doors.tools.discovery import find_test_files, read_config, where

A_TEST = "def test_it():\n    assert True\n"


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def _found(project: Path) -> list[str]:
    return [str(path.relative_to(project)) for path in find_test_files(project)]


# Runs real pytest in each project folder given, in one process (pytest costs a second
# to start): prints each folder, then the files it collects there.
COLLECT = """
import contextlib, io, os, sys
import pytest
for project in sys.argv[1:]:
    os.chdir(project)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        pytest.main(["--collect-only", "-q", "-p", "no:cacheprovider"])
    nodes = {line.split("::")[0] for line in out.getvalue().splitlines() if "::" in line}
    print(project, *sorted(nodes), sep="\\n", end="\\n\\n")
"""


def _pytest_collects(projects: list[Path]) -> dict[Path, list[str]]:
    """The files real pytest collects in each project, run there with no arguments."""
    done = subprocess.run(
        [sys.executable, "-c", COLLECT, *map(str, projects)],
        capture_output=True, text=True, timeout=120, check=True,
        env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},  # only pytest itself
    )  # fmt: skip
    blocks = [block.splitlines() for block in done.stdout.strip().split("\n\n")]
    return {Path(block[0]): block[1:] for block in blocks}


NOT_TESTS = {  # where pytest never looks, whatever the files are called
    ".venv/lib/python3.12/site-packages/pkg/test_vendor.py": A_TEST,
    "env/pyvenv.cfg": "home = /usr/bin\n",  # a virtual environment under any name
    "env/lib/test_in_env.py": A_TEST,
    "node_modules/pkg/test_node.py": A_TEST,
    "build/lib/test_built.py": A_TEST,
    "dist/test_dist.py": A_TEST,
    ".hidden/test_hidden.py": A_TEST,
    "src/todo/helpers.py": A_TEST,  # not a test file's name
}

LAYOUTS = {
    "tests under src": {"src/tests/test_services.py": A_TEST, "src/todo/__init__.py": ""},
    "a test folder inside the app": {
        "TodoApp/test/test_service.py": A_TEST,
        "TodoApp/test/store_test.py": A_TEST,
    },
    "pyproject testpaths": {
        "pyproject.toml": '[tool.pytest.ini_options]\ntestpaths = ["checks"]\n',
        "checks/test_in_testpaths.py": A_TEST,
        "tests/test_outside_testpaths.py": A_TEST,
    },
    "pytest.ini before pyproject": {
        "pytest.ini": "[pytest]\ntestpaths = spec\n",
        "pyproject.toml": '[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
        "spec/test_spec.py": A_TEST,
        "tests/test_ignored.py": A_TEST,
    },
    "setup.cfg": {
        "setup.cfg": "[metadata]\nname = todo\n\n[tool:pytest]\ntestpaths =\n    unit\n",
        "unit/test_unit.py": A_TEST,
        "other/test_other.py": A_TEST,
    },
    "tox.ini": {
        "tox.ini": "[tox]\nenv_list = py312\n\n[pytest]\ntestpaths = qa\n",
        "qa/test_qa.py": A_TEST,
        "tests/test_not_qa.py": A_TEST,
    },
    "testpaths that match nothing": {
        "pyproject.toml": '[tool.pytest.ini_options]\ntestpaths = ["nowhere"]\n',
        "tests/test_found_anyway.py": A_TEST,
    },
    "python_files of its own": {
        "pyproject.toml": '[tool.pytest.ini_options]\npython_files = ["check_*.py"]\n',
        "tests/check_rules.py": A_TEST,
        "tests/test_not_matched.py": A_TEST,
    },
}


def test_the_files_found_are_those_pytest_collects(tmp_path):
    projects = {
        name: _tree(tmp_path / f"project{n}", {**NOT_TESTS, **files})
        for n, (name, files) in enumerate(LAYOUTS.items())
    }
    collected = _pytest_collects(list(projects.values()))
    for name, project in projects.items():
        assert collected[project], f"{name}: the layout holds tests"
        assert _found(project) == collected[project], name


def test_tests_under_src_and_in_an_app_folder_are_found_and_environments_are_not(tmp_path):
    files = {**NOT_TESTS, **LAYOUTS["tests under src"], **LAYOUTS["a test folder inside the app"]}
    project = _tree(tmp_path, files)
    assert _found(project) == [
        "TodoApp/test/store_test.py",
        "TodoApp/test/test_service.py",
        "src/tests/test_services.py",
    ]
    assert where(project) == "the whole project"


def test_testpaths_are_said_with_the_file_that_set_them(tmp_path):
    project = _tree(tmp_path, LAYOUTS["pytest.ini before pyproject"])
    assert _found(project) == ["spec/test_spec.py"]
    assert where(project) == "the testpaths of pytest.ini (spec)"


def test_testpaths_never_lead_out_of_the_project(tmp_path):
    _tree(tmp_path, {"outside/test_outside.py": A_TEST})
    project = _tree(
        tmp_path / "project",
        {"pyproject.toml": '[tool.pytest.ini_options]\ntestpaths = ["../outside"]\n'},
    )
    assert _found(project) == []
    assert where(project) == "the whole project"


def test_a_broken_configuration_file_is_read_as_none(tmp_path):
    project = _tree(tmp_path, {"pyproject.toml": "[tool.pytest.ini_options\n", "t/test_a.py": ""})
    assert read_config(project).testpaths == ()
    assert _found(project) == ["t/test_a.py"]
