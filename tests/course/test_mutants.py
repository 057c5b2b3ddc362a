"""A mutant's headers say how its defect lands: in the tree, in a commit, or only in history."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from checks.course import mutants
from checks.course.paths import CourseError
from checks.course.reference import GIT_IDENTITY
from checks.harness.catalog import STAGES

ADD_ENV = """\
diff --git a/.env b/.env
new file mode 100644
--- /dev/null
+++ b/.env
@@ -0,0 +1 @@
+SECRET_KEY=kept-on-my-laptop
"""


def git(project: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=project, check=True, capture_output=True, text=True)
    return done.stdout


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "README.md").write_text("# A project\n")
    git(folder, "init", "-q")
    git(folder, "add", "--all")
    git(folder, *GIT_IDENTITY, "commit", "-q", "-m", "Start")
    return folder


def mutant_file(tmp_path: Path, headers: str) -> Path:
    path = tmp_path / "01-env-committed.patch"
    preamble = "Caught-by: 06-deploy/no-secrets-in-history\nDefect: a .env was committed.\n"
    path.write_text(f"{preamble}{headers}\n{ADD_ENV}")
    return path


def test_a_reverted_mutant_leaves_the_tree_as_it_was_and_its_defect_in_the_history(
    project: Path, tmp_path: Path
) -> None:
    path = mutant_file(tmp_path, "Commit: Add my settings\nReverted: Remove my settings")
    mutant = mutants.load(path, STAGES[6])

    mutant.apply(project)

    assert not (project / ".env").exists()
    assert git(project, "status", "--porcelain") == ""
    assert git(project, "log", "--format=%s").split("\n")[:2] == [
        "Remove my settings",
        "Add my settings",
    ]
    assert "kept-on-my-laptop" in git(project, "show", "HEAD~1:.env")


def test_reverted_without_a_commit_is_refused_with_what_to_add(tmp_path: Path) -> None:
    path = mutant_file(tmp_path, "Reverted: Remove my settings")

    with pytest.raises(CourseError, match="needs a 'Commit:' line"):
        mutants.load(path, STAGES[6])
