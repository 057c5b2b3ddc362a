"""Which lock decides what is installed, and what the report says (checks/harness/lock.py)."""

from pathlib import Path

import pytest

from checks.harness import lock
from checks.harness.process import Completed

PYPROJECT = """
[project]
name = "expense-tracker"
version = "0.1.0"
dependencies = ["passlib"]
"""
GROUPS = '\n[dependency-groups]\ntest = ["pytest"]\n'
UV_LOCK = """
version = 1
requires-python = ">=3.11"

[[package]]
name = "expense-tracker"
version = "0.1.0"
source = { editable = "." }

[[package]]
name = "bcrypt"
version = "4.3.0"
source = { registry = "https://pypi.org/simple" }
"""
STALE = (
    "error: The lockfile at `uv.lock` needs to be updated, but `--locked` was provided.\n\n"
    "hint: To update the lockfile, run `uv lock`.\n"
)


def _project(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in {"pyproject.toml": PYPROJECT, **files}.items():
        (tmp_path / name).write_text(text)
    return tmp_path


def test_a_committed_uv_lock_decides_and_the_report_says_so(tmp_path):
    found = lock.detect(_project(tmp_path, {"uv.lock": UV_LOCK, "requirements.txt": "x==1\n"}))
    assert found.uv_lock and found.files == ("uv.lock",)
    assert lock.note(tmp_path) == "Dependencies: installed as uv.lock pins them."
    assert found.command == "uv sync --locked --no-editable"


def test_the_export_holds_the_test_group_and_never_the_project(tmp_path):
    found = lock.detect(_project(tmp_path, {"uv.lock": UV_LOCK}))
    plain = found.export("/usr/bin/python3", tmp_path / "pins.txt")
    assert "--group" not in plain
    grouped = _project(tmp_path, {"pyproject.toml": PYPROJECT + GROUPS, "uv.lock": UV_LOCK})
    args = lock.detect(grouped).export("/usr/bin/python3", tmp_path / "pins.txt")
    assert args[:2] == ["export", "--locked"]
    assert {"--no-emit-project", "--no-default-groups", "--no-editable"} <= set(args)
    assert args[args.index("--group") + 1] == "test"
    assert args[args.index("--output-file") + 1] == str(tmp_path / "pins.txt")


def test_requirements_and_a_test_file_pin_when_no_group_holds_the_test_tools(tmp_path):
    project = _project(
        tmp_path, {"requirements.txt": "bcrypt==4.3.0\n", "requirements-dev.txt": "pytest==8.3\n"}
    )
    found = lock.detect(project)
    assert found.files == ("requirements.txt", "requirements-dev.txt")
    assert found.requirements is not None
    assert found.requirements.requirements == ["bcrypt==4.3.0", "pytest==8.3"]
    assert found.command == "uv pip install -r requirements.txt -r requirements-dev.txt ."
    assert "installed from requirements.txt and requirements-dev.txt" in found.note


def test_a_test_group_keeps_the_test_requirements_file_out(tmp_path):
    project = _project(
        tmp_path,
        {
            "pyproject.toml": PYPROJECT + GROUPS,
            "requirements.txt": "bcrypt==4.3.0\n",
            "test-requirements.txt": "pytest==8.3\n",
        },
    )
    assert lock.detect(project).files == ("requirements.txt",)


def test_a_test_file_alone_pins_the_test_tools(tmp_path):
    found = lock.detect(_project(tmp_path, {"dev-requirements.txt": "pytest==8.3\n"}))
    assert found.files == ("dev-requirements.txt",)


def test_without_a_lock_the_note_says_why_one_helps_and_that_it_is_optional(tmp_path):
    found = lock.detect(_project(tmp_path, {}))
    assert not found.files and found.command == "uv pip install ." and found.target == "."
    assert found.note.startswith("Dependencies: no uv.lock, so the newest versions your")
    assert "(optional: `uv lock` pins the ones you tested with;" in found.note  # and why
    assert found.note.endswith("commit uv.lock and the checker installs exactly those).")


def test_requirements_that_install_the_project_with_extras_keep_the_extras(tmp_path):
    found = lock.detect(
        _project(tmp_path, {"requirements-dev.txt": "-r requirements.txt\n-e .[dev]\n"})
    )
    assert found.target == ".[dev]"


@pytest.mark.parametrize(
    ("source", "shareable"),
    [
        ('{ registry = "https://pypi.org/simple" }', True),
        ('{ git = "https://github.com/a/b?rev=v1#0123abc" }', True),
        ('{ directory = "libs/helper" }', False),
        ('{ editable = "libs/helper" }', False),
    ],
    ids=["index", "git-commit", "folder", "editable-folder"],
)
def test_a_lock_that_installs_a_folder_of_the_project_is_not_shared(tmp_path, source, shareable):
    locked = UV_LOCK.replace('{ registry = "https://pypi.org/simple" }', source)
    assert lock.detect(_project(tmp_path, {"uv.lock": locked})).shareable is shareable


def test_the_fingerprint_changes_with_the_lock_or_the_group_it_exports(tmp_path):
    first = lock.detect(_project(tmp_path, {"uv.lock": UV_LOCK})).fingerprint
    bumped = UV_LOCK.replace("4.3.0", "5.0.0")
    assert lock.detect(_project(tmp_path, {"uv.lock": bumped})).fingerprint != first
    grouped = {"pyproject.toml": PYPROJECT + GROUPS, "uv.lock": UV_LOCK}
    assert lock.detect(_project(tmp_path, grouped)).fingerprint != first


@pytest.mark.parametrize(
    ("argv", "code", "stderr", "stale"),
    [
        (("uv", "export", "--locked"), 1, STALE, True),
        (("uv", "export", "--locked"), 1, "error: No solution found when resolving", False),
        (("uv", "export", "--locked"), 2, "error: Failed to parse `uv.lock`", False),
        (("uv", "pip", "install", "."), 1, STALE, False),
    ],
    ids=["out-of-date", "unresolvable", "unparseable", "not-an-export"],
)
def test_only_uvs_refusal_of_a_lock_reads_as_out_of_date(argv, code, stderr, stale):
    assert lock.out_of_date(Completed(argv, code, "", stderr)) is stale
