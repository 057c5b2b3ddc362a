"""The copy's size limit counts the learner's files, never their caches or venvs."""

from pathlib import Path

import pytest

from checks.harness.workspace import TooBig, Workspace

MIB = 1 << 20


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    (project / "src").mkdir(parents=True)
    (project / "src" / "app.py").write_text("print('hi')\n")
    objects = project / ".git" / "objects"
    for n in range(256):  # a real history's fan-out: every folder is walked, each once
        (objects / f"{n:02x}").mkdir(parents=True)
    return project


def test_a_venv_and_caches_do_not_count_towards_the_limit(tmp_path: Path) -> None:
    project = _project(tmp_path)
    venv = project / "env-of-any-name"
    venv.mkdir()
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (venv / "big.so").write_bytes(b"\0" * (2 * MIB))
    (project / "__pycache__").mkdir()
    (project / "__pycache__" / "big.pyc").write_bytes(b"\0" * (2 * MIB))

    workspace = Workspace.create(project, max_mib=1, base=tmp_path)

    assert (workspace.project / "src" / "app.py").is_file()
    assert not (workspace.project / "env-of-any-name").exists()


def test_a_repository_over_the_limit_is_refused_with_what_to_look_for(tmp_path: Path) -> None:
    project = _project(tmp_path)
    (project / "dump.sqlite").write_bytes(b"\0" * (2 * MIB))

    with pytest.raises(TooBig, match=r"more than 1 MiB .* data files, databases"):
        Workspace.create(project, max_mib=1, base=tmp_path)
