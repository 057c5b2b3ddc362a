"""The hooks: bad answers are refused with a fix, and the new project starts as a git repo."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.template.conftest import REPO

if TYPE_CHECKING:
    from tests.template.conftest import Cookiecutter

DEFAULT_REPO_URL = "https://github.com/backend-roadmap/backend-roadmap"
STARTER_CHECK = f"uvx --from git+{DEFAULT_REPO_URL} roadmap-check ."
SITE_URL = re.search(r"^site_url:\s*(\S+)", (REPO / "mkdocs.yml").read_text("utf-8"), re.M)


def next_commands(stdout: str) -> list[str]:
    """The indented command lines printed under "Next, run these three commands:"."""
    _, found, after = stdout.partition("Next, run these three commands:\n\n")
    assert found, f"no next steps in:\n{stdout}"
    block = after.split("\n\n", 1)[0]
    return [line.removeprefix("  ") for line in block.splitlines()]


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
    assert next_commands(result.stdout)[1:] == ["uv run pytest", STARTER_CHECK]
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
    assert next_commands(result.stdout)[1:] == ["uv run pytest", STARTER_CHECK]
    assert (tmp_path / "expense-tracker" / "src" / "expense_tracker" / "cli.py").is_file()


def test_after_generation_the_next_three_commands_and_the_stage_1_brief_are_printed(
    cookiecutter: Cookiecutter, tmp_path: Path
) -> None:
    # The shell sets PWD to the folder the learner ran cookiecutter from.
    env = {**cookiecutter.env, "PWD": str(tmp_path)}

    result = cookiecutter.run(tmp_path, env=env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert next_commands(result.stdout) == ["cd expense-tracker", "uv run pytest", STARTER_CHECK]
    assert SITE_URL, "mkdocs.yml has no site_url"
    assert f"{SITE_URL.group(1)}stages/01-cli/" in result.stdout
    assert (REPO / "docs" / "stages" / "01-cli.md").is_file(), "the site page the URL names"
    assert f"stages/01-cli/README.md in {DEFAULT_REPO_URL}" in result.stdout
    assert (REPO / "stages" / "01-cli" / "README.md").is_file()


def test_the_printed_commands_are_the_ones_the_readme_and_ci_use(
    cookiecutter: Cookiecutter, tmp_path: Path
) -> None:
    url = "https://example.org/a-mentor/backend-roadmap-fork"
    output_dir = tmp_path / "out"

    result = cookiecutter.run(output_dir, f"__roadmap_repo_url={url}")

    assert result.returncode == 0, result.stdout + result.stderr
    _, test, check = next_commands(result.stdout)
    project = output_dir / "expense-tracker"
    readme = (project / "README.md").read_text(encoding="utf-8")
    workflow = (project / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    assert test == "uv run pytest"
    assert test in readme and test in workflow
    assert check == f"uvx --from git+{url} roadmap-check ."
    assert check in readme
    assert f"git+{url}" in workflow and "roadmap-check ." in workflow
    course = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert "roadmap-check" in course["project"]["scripts"], "uvx runs this console script"


@pytest.mark.parametrize(
    ("shell_folder", "printed"),
    [
        (".", "expense-tracker"),  # cookiecutter run in the folder it writes to
        ("course", "../expense-tracker"),  # cookiecutter template/ -o .. from the course clone
        ("somewhere/far", None),  # further off: the absolute path
        (None, None),  # no PWD (not started from a POSIX shell): the absolute path
    ],
)
def test_the_cd_line_leads_from_where_cookiecutter_ran_to_the_new_project(
    cookiecutter: Cookiecutter, tmp_path: Path, shell_folder: str | None, printed: str | None
) -> None:
    env = {k: v for k, v in cookiecutter.env.items() if k != "PWD"}
    if shell_folder is not None:
        (tmp_path / shell_folder).mkdir(parents=True, exist_ok=True)
        env["PWD"] = str(tmp_path / shell_folder)

    result = cookiecutter.run(tmp_path, env=env)

    assert result.returncode == 0, result.stdout + result.stderr
    cd = next_commands(result.stdout)[0]
    project = tmp_path / "expense-tracker"
    if printed is None:
        assert cd == f"cd {project}"
    else:
        assert cd == f"cd {printed}"
        assert (tmp_path / str(shell_folder) / printed).resolve() == project.resolve()
