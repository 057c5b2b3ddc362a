"""The hooks: bad answers are refused with a fix, and the new project starts as a git repo."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.template.conftest import Cookiecutter


def git(project: Path, *args: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        ["git", *args], cwd=project, capture_output=True, text=True, env=env, check=True
    )
    return result.stdout.strip()


@pytest.mark.parametrize(
    ("answer", "what", "instead"),
    [
        ("project_name=json", "standard library", 'package_name="my_json"'),
        ("project_name=pytest", "library or tool this project uses", 'package_name="my_pytest"'),
        ("project_name=FastAPI", "library or tool this project uses", "my_fastapi"),
        ("project_name=123 go", "not a valid Python identifier", 'package_name="my_123_go"'),
        ("project_name=class", "Python keyword", 'package_name="my_class"'),
        ("project_name=", "project name is empty", 'project_name="Expense Tracker"'),
        ("package_name=sqlalchemy", "library or tool this project uses", "my_sqlalchemy"),
        ("package_name=ExpenseTracker", "capital letters", 'package_name="expensetracker"'),
        ("project_slug=my tracker!", "not a valid command name", 'project_slug="my-tracker"'),
    ],
)
def test_a_bad_answer_is_refused_with_what_went_wrong_and_what_to_type_instead(
    cookiecutter: Cookiecutter, tmp_path: Path, answer: str, what: str, instead: str
) -> None:
    result = cookiecutter.run(tmp_path, answer)

    assert result.returncode != 0
    assert "Error: " in result.stderr
    assert what in result.stderr
    assert "Why: " in result.stderr
    assert instead in result.stderr
    assert list(tmp_path.iterdir()) == [], "a refused project must leave nothing behind"


def test_the_new_project_is_a_git_repository_with_one_clean_commit(
    cookiecutter: Cookiecutter,
) -> None:
    project = cookiecutter.render()
    env = cookiecutter.env

    assert git(project, "rev-list", "--count", "HEAD", env=env) == "1"
    assert git(project, "status", "--porcelain", env=env) == "", "every file is committed"
    assert git(project, "log", "-1", "--format=%s", env=env) == (
        "Start Expense Tracker from the Backend Roadmap template"
    )


def test_on_a_machine_without_a_git_identity_the_first_commit_uses_the_author_answers(
    cookiecutter: Cookiecutter, tmp_path: Path
) -> None:
    # The cookiecutter fixture hides every git config, like a freshly installed machine.
    result = cookiecutter.run(tmp_path, "author_name=Ada Lovelace", "author_email=ada@example.org")

    assert result.returncode == 0, result.stdout + result.stderr
    project = tmp_path / "expense-tracker"
    author = git(project, "log", "-1", "--format=%an <%ae>", env=cookiecutter.env)
    assert author == "Ada Lovelace <ada@example.org>"


def test_a_git_identity_the_user_already_has_is_kept(
    cookiecutter: Cookiecutter, tmp_path: Path
) -> None:
    gitconfig = tmp_path / "gitconfig"
    gitconfig.write_text("[user]\n\tname = Grace Hopper\n\temail = grace@example.org\n")
    env = {**cookiecutter.env, "GIT_CONFIG_GLOBAL": str(gitconfig)}
    output_dir = tmp_path / "out"

    result = cookiecutter.run(output_dir, env=env)

    assert result.returncode == 0, result.stdout + result.stderr
    author = git(output_dir / "expense-tracker", "log", "-1", "--format=%an <%ae>", env=env)
    assert author == "Grace Hopper <grace@example.org>"


def test_generation_succeeds_without_git_on_the_path(
    cookiecutter: Cookiecutter, tmp_path: Path
) -> None:
    no_git = tmp_path / "bin"
    no_git.mkdir()
    (no_git / "python").symlink_to(sys.executable)  # a PATH with Python and nothing else
    env = {**cookiecutter.env, "PATH": str(no_git)}
    output_dir = tmp_path / "out"

    result = cookiecutter.run(output_dir, env=env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "git is not installed" in result.stdout
    project = output_dir / "expense-tracker"
    assert (project / "pyproject.toml").is_file()
    assert not (project / ".git").exists()


def test_generation_succeeds_when_git_cannot_commit(
    cookiecutter: Cookiecutter, tmp_path: Path
) -> None:
    # No git identity anywhere and an empty author name: git refuses to commit.
    result = cookiecutter.run(tmp_path, "author_name=")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "git could not make the first commit" in result.stdout
    assert (tmp_path / "expense-tracker" / "src" / "expense_tracker" / "cli.py").is_file()
