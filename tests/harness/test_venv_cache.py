"""What keys the reused dependencies: only what decides them, the lock included
(checks/harness/venv_cache.py)."""

import sys
from pathlib import Path

import pytest

from checks.harness.venv_cache import VenvCache, declaration
from checks.harness.workspace import Workspace

BASE = """
[project]
name = "expense-tracker"
version = "0.1.0"
requires-python = ">=3.11"
authors = [{ name = "Ada", email = "ada@example.com" }]
dependencies = ["fastapi==0.115.0"]

[dependency-groups]
dev = ["pytest==8.3.0"]

[tool.roadmap]
stage = 2
"""


def _declared(tmp_path: Path, text: str, name: str = "pyproject.toml") -> bytes:
    path = tmp_path / name
    path.write_text(text)
    return declaration(path)


def test_learners_who_differ_in_authors_description_or_stage_share_an_entry(tmp_path):
    other = BASE.replace("Ada", "Grace").replace("stage = 2", "stage = 3")
    other = other.replace('version = "0.1.0"', 'version = "0.2.0"\ndescription = "mine"')
    assert _declared(tmp_path, BASE) == _declared(tmp_path, other)


@pytest.mark.parametrize(
    "change",
    [
        ('"fastapi==0.115.0"', '"fastapi==0.116.0"'),  # a dependency
        ('"pytest==8.3.0"', '"pytest==8.4.0"'),  # a dependency group
        (">=3.11", ">=3.12"),  # the Python it needs
        ("[tool.roadmap]", '[tool.uv]\nindex-url = "https://example.org/simple"\n[tool.roadmap]'),
    ],
    ids=["dependency", "group", "requires-python", "uv-index"],
)
def test_a_change_to_what_is_installed_gives_a_new_entry(tmp_path, change):
    assert _declared(tmp_path, BASE) != _declared(tmp_path, BASE.replace(*change))


def test_dependencies_a_build_decides_key_on_the_whole_file(tmp_path):
    dynamic = BASE.replace('dependencies = ["fastapi==0.115.0"]', 'dynamic = ["dependencies"]')
    assert _declared(tmp_path, dynamic) == dynamic.encode()


@pytest.mark.parametrize(
    ("name", "text"),
    [("pyproject.toml", "[project\nbroken"), ("requirements.txt", "fastapi==0.115.0\n")],
)
def test_other_files_and_unreadable_toml_key_on_every_byte(tmp_path, name, text):
    assert _declared(tmp_path, text, name) == text.encode()


# The lock is part of the key: a changed lock is a new entry --------------------------------


def _key(tmp_path: Path, files: dict[str, str]) -> str:
    project = tmp_path / "project"
    for name, text in {"pyproject.toml": BASE, **files}.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text)
    cache = VenvCache(tmp_path / "venvs", tmp_path / "venvs" / ".building")
    return cache.key(project, sys.executable, ["--group", "dev"])


def test_a_changed_uv_lock_gives_a_new_entry_and_the_same_lock_the_same(tmp_path):
    locked = 'version = 1\n[[package]]\nname = "fastapi"\nversion = "0.115.0"\n'
    first = _key(tmp_path, {"uv.lock": locked})
    assert _key(tmp_path, {"uv.lock": locked.replace("0.115.0", "0.116.0")}) != first
    assert _key(tmp_path, {"uv.lock": locked}) == first


def test_a_changed_include_of_a_requirements_file_gives_a_new_entry(tmp_path):
    files = {"requirements.txt": "-r requirements/base.txt\n"}
    first = _key(tmp_path, {**files, "requirements/base.txt": "bcrypt==4.3.0\n"})
    assert _key(tmp_path, {**files, "requirements/base.txt": "bcrypt==5.0.0\n"}) != first


def test_a_project_whose_requirements_install_a_folder_installs_afresh(tmp_path):
    workspace = Workspace(source=tmp_path, root=tmp_path / "workspace")
    for copy in (workspace.project, workspace.pristine):
        copy.mkdir(parents=True)
        (copy / "pyproject.toml").write_text(BASE)
        (copy / "requirements.txt").write_text("-e ./libs/helper\n")
    cache = VenvCache(tmp_path / "venvs", tmp_path / "venvs" / ".building")
    assert cache.provide(workspace, sys.executable, ["pytest"]) is None
    assert not (tmp_path / "venvs").exists()  # nothing built, nothing installed
