"""The template renders the starter layout and manifest for every preset, every way it is run."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from tests.template.conftest import Cookiecutter

# The starter layout, with PACKAGE standing for the package name.
LAYOUT = {
    ".editorconfig",
    ".gitignore",
    ".pre-commit-config.yaml",
    ".github/workflows/ci.yml",
    "README.md",
    "docs/decisions/0001-record-architecture-decisions.md",
    "pyproject.toml",
    "src/PACKAGE/__init__.py",
    "src/PACKAGE/__main__.py",
    "src/PACKAGE/cli.py",
    "tests/test_cli.py",
}

# The presets table of docs/reference/manifest.md: (fields, summary, samples.invalid).
# A field is (type, required, min, max); None means "no bound".
PRESETS: dict[str, dict[str, Any]] = {
    "expenses": {
        "record": "expense",
        "fields": {
            "amount": ("decimal", True, 0.01, 10000),
            "category": ("word", True, None, None),
            "note": ("text", False, None, None),
        },
        "summary": {"group_by": "category", "aggregate": "sum", "field": "amount"},
        "invalid": {"amount": "twelve"},
    },
    "bookmarks": {
        "record": "bookmark",
        "fields": {
            "url": ("url", True, None, None),
            "title": ("text", True, None, None),
            "tag": ("word", True, None, None),
        },
        "summary": {"group_by": "tag", "aggregate": "count"},
        "invalid": {"url": "not a url"},
    },
    "inventory": {
        "record": "item",
        "fields": {
            "name": ("text", True, None, None),
            "quantity": ("int", True, 0, 100000),
            "location": ("word", True, None, None),
        },
        "summary": {"group_by": "location", "aggregate": "sum", "field": "quantity"},
        "invalid": {"quantity": "-3"},
    },
    "habits": {
        "record": "check-in",
        "fields": {
            "habit": ("word", True, None, None),
            "day": ("date", True, None, None),
            "minutes": ("int", True, 1, 1440),
        },
        "summary": {"group_by": "habit", "aggregate": "count"},
        "invalid": {"day": "2025-13-45"},
    },
}

# Jinja left in a file means a template bug. GitHub's own `${{ ... }}` expressions are fine.
LEFTOVER = re.compile(r"(?<!\$)\{\{|\{%|\{#|cookiecutter\.")


def project_files(project: Path) -> set[str]:
    """Every file the template wrote, relative to the project; git's own are left out."""
    return {
        path.relative_to(project).as_posix()
        for path in project.rglob("*")
        if path.is_file() and path.relative_to(project).parts[0] != ".git"
    }


def expected_manifest(domain: str, slug: str) -> dict[str, Any]:
    preset = PRESETS[domain]
    fields = {}
    for name, (kind, required, low, high) in preset["fields"].items():
        bounds = {key: value for key, value in (("min", low), ("max", high)) if value is not None}
        fields[name] = {"type": kind, "required": required, **bounds}
    add = ["add"]
    for name in fields:
        add += [f"--{name}", f"{{{name}}}"]
    return {
        "stage": 1,
        "domain": domain,
        "record": preset["record"],
        "id_field": "id",
        "fields": fields,
        "cli": {
            "command": slug,
            "data_env": "DATA_FILE",
            "add": add,
            "list": ["list", "--json"],
            "show": ["show", "{id}", "--json"],
            "delete": ["delete", "{id}"],
            "summary": ["summary", "--json"],
        },
        "summary": preset["summary"],
        "samples": {"invalid": preset["invalid"]},
    }


def pyproject(project: Path) -> dict[str, Any]:
    return tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))


def test_no_input_renders_the_expenses_preset_by_default(cookiecutter: Cookiecutter) -> None:
    project = cookiecutter.render()

    assert project.name == "expense-tracker"
    assert pyproject(project)["tool"]["roadmap"]["domain"] == "expenses"


def test_every_preset_renders_exactly_the_starter_layout(
    cookiecutter: Cookiecutter, domain: str, slug: str, package: str
) -> None:
    project = cookiecutter.render(f"domain={domain}")

    assert project.name == slug
    assert project_files(project) == {path.replace("PACKAGE", package) for path in LAYOUT}


def test_every_preset_renders_without_leftover_placeholders(
    cookiecutter: Cookiecutter, domain: str
) -> None:
    project = cookiecutter.render(f"domain={domain}")

    for path in project_files(project):
        assert not LEFTOVER.search(path), f"unrendered file name: {path}"
        text = (project / path).read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), start=1):
            assert not LEFTOVER.search(line), f"{path}:{number} is not rendered: {line}"


def test_every_preset_writes_the_manifest_that_the_reference_describes(
    cookiecutter: Cookiecutter, domain: str, slug: str, package: str
) -> None:
    data = pyproject(cookiecutter.render(f"domain={domain}"))

    assert data["tool"]["roadmap"] == expected_manifest(domain, slug)
    assert data["project"]["name"] == slug
    assert data["project"]["scripts"] == {slug: f"{package}.cli:main"}


def test_the_default_manifest_is_the_example_in_the_manifest_reference(
    cookiecutter: Cookiecutter, template_dir: Path
) -> None:
    reference = template_dir.parent / "docs" / "reference" / "manifest.md"
    example = re.search(r"```toml\n(.*?)```", reference.read_text(encoding="utf-8"), re.S)
    assert example, f"no ```toml example in {reference}"

    rendered = pyproject(cookiecutter.render())["tool"]["roadmap"]

    assert rendered == tomllib.loads(example.group(1))["tool"]["roadmap"]


def test_explicit_answers_name_the_folder_command_and_package(
    cookiecutter: Cookiecutter,
) -> None:
    project = cookiecutter.render("domain=habits", "project_name=Penny Pincher")
    data = pyproject(project)

    assert project.name == "penny-pincher"
    assert (project / "src" / "penny_pincher" / "cli.py").is_file()
    assert data["project"]["scripts"] == {"penny-pincher": "penny_pincher.cli:main"}
    assert data["tool"]["roadmap"]["cli"]["command"] == "penny-pincher"
    assert data["tool"]["roadmap"]["domain"] == "habits"
    assert (project / "README.md").read_text(encoding="utf-8").startswith("# Penny Pincher\n")


def test_a_package_name_unlike_the_slug_is_declared_to_the_build_backend(
    cookiecutter: Cookiecutter,
) -> None:
    project = cookiecutter.render("project_name=Penny Pincher", "package_name=pennies")
    data = pyproject(project)

    assert (project / "src" / "pennies" / "cli.py").is_file()
    assert data["tool"]["uv"]["build-backend"]["module-name"] == "pennies"
    assert data["project"]["scripts"] == {"penny-pincher": "pennies.cli:main"}


def test_the_workflow_is_valid_yaml_and_installs_the_checker_from_the_course_repo(
    cookiecutter: Cookiecutter,
) -> None:
    url = "https://example.org/a-mentor/backend-roadmap-fork"
    project = cookiecutter.render(f"__roadmap_repo_url={url}")

    workflow = yaml.safe_load((project / ".github/workflows/ci.yml").read_text(encoding="utf-8"))
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    runs = "\n".join(step.get("run", "") for step in steps)

    assert f'pip install "backend-roadmap @ git+{url}"' in runs
    assert f"uvx --from git+{url} roadmap-check ." in (project / "README.md").read_text("utf-8")
    assert "roadmap-check . --report-dir roadmap-report" in runs
    assert "uv run pytest" in runs
    assert "uv run ruff check" in runs
    summary = next(step for step in steps if "GITHUB_STEP_SUMMARY" in step.get("run", ""))
    assert summary["if"] == "${{ always() }}", "the report must be shown when the check fails"


def test_the_interactive_prompts_accept_typed_answers(
    cookiecutter: Cookiecutter, tmp_path: Path
) -> None:
    # Choice 3 is inventory; an empty line takes the default, which follows the new name.
    answers = "3\nStock Room\n\n\nAda Lovelace\nada@example.org\n"

    result = cookiecutter.run(tmp_path, options=(), stdin=answers)

    assert result.returncode == 0, result.stdout + result.stderr
    data = pyproject(tmp_path / "stock-room")
    assert data["tool"]["roadmap"]["domain"] == "inventory"
    assert data["project"]["scripts"] == {"stock-room": "stock_room.cli:main"}
    assert data["project"]["authors"] == [{"name": "Ada Lovelace", "email": "ada@example.org"}]


def test_the_prompts_ask_only_what_a_beginner_can_answer(
    cookiecutter: Cookiecutter, tmp_path: Path
) -> None:
    # Six answers, all defaults: a seventh question would find no answer and fail the run.
    result = cookiecutter.run(tmp_path, options=(), stdin="\n" * 6)

    assert result.returncode == 0, result.stdout + result.stderr
    asked = re.findall(r"\[(\d+)/(\d+)\] ([^(\n]+)", result.stdout)
    assert [question.strip() for _, _, question in asked] == [
        "What will your project keep track of?",
        "Your project's name, in words",
        "Its command and distribution name",
        "Its Python package name",
        "Your name",
        "Your email",
    ]
    assert {total for _, total, _ in asked} == {"6"}
    assert "roadmap_repo_url" not in result.stdout
    assert "course repo" not in result.stdout


def test_the_course_repo_url_has_a_default_that_ci_and_the_readme_use(
    cookiecutter: Cookiecutter,
) -> None:
    project = cookiecutter.render()
    default = "https://github.com/backend-roadmap/backend-roadmap"

    workflow = (project / ".github/workflows/ci.yml").read_text(encoding="utf-8")
    readme = (project / "README.md").read_text(encoding="utf-8")

    assert f'pip install "backend-roadmap @ git+{default}"' in workflow
    assert f"uvx --from git+{default} roadmap-check ." in readme


def test_a_user_config_can_set_the_course_repo_url(
    cookiecutter: Cookiecutter, tmp_path: Path
) -> None:
    # How a mentor with a fork sets it once for a cohort: a default_context in a user config.
    url = "https://example.org/a-mentor/backend-roadmap-fork"
    config = tmp_path / "cookiecutter.yaml"
    config.write_text(f'default_context:\n  __roadmap_repo_url: "{url}"\n', encoding="utf-8")
    output_dir = tmp_path / "out"

    result = cookiecutter.run(
        output_dir, options=("--no-input", "--config-file", str(config)), default_config=False
    )

    assert result.returncode == 0, result.stdout + result.stderr
    project = output_dir / "expense-tracker"
    workflow = (project / ".github/workflows/ci.yml").read_text(encoding="utf-8")
    assert f"git+{url}" in workflow
    assert f"uvx --from git+{url} roadmap-check ." in result.stdout


def test_the_template_renders_from_a_git_url_with_directory_template(
    cookiecutter: Cookiecutter, template_dir: Path, tmp_path: Path
) -> None:
    # A local clone of the course repo stands in for GitHub: same `git+URL --directory`.
    course = tmp_path / "course"
    shutil.copytree(template_dir, course / "template")
    for command in (
        ["init", "--quiet"],
        ["add", "--all"],
        ["-c", "user.name=Course", "-c", "user.email=course@example.org", "commit", "-qm", "x"],
    ):
        subprocess.run(["git", *command], cwd=course, check=True, env=cookiecutter.env)
    output_dir = tmp_path / "out"

    result = cookiecutter.run(
        output_dir,
        template=f"git+file://{course}",
        options=("--no-input", "--directory", "template"),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert (output_dir / "expense-tracker" / "src" / "expense_tracker" / "cli.py").is_file()


def test_the_pre_commit_config_is_valid_yaml_with_pinned_revisions(
    cookiecutter: Cookiecutter,
) -> None:
    project = cookiecutter.render()

    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    revisions = {repo["repo"]: repo["rev"] for repo in config["repos"]}

    assert all(re.fullmatch(r"v\d+\.\d+\.\d+", rev) for rev in revisions.values()), revisions
    hooks = {hook["id"] for repo in config["repos"] for hook in repo["hooks"]}
    assert {"ruff-check", "ruff-format", "end-of-file-fixer"} <= hooks
