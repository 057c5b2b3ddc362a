"""Reject answers that would make a broken project, before any file is kept.

Cookiecutter renders this file with Jinja before running it, so the answers below arrive as
JSON string literals (which are valid Python string literals, whatever the user typed).
Only the standard library: this runs in whichever Python runs cookiecutter. On failure it
exits 1, and cookiecutter deletes the half-made project folder.
"""

from __future__ import annotations

import keyword
import re
import sys
import unicodedata

PROJECT_NAME = {{ cookiecutter.project_name | tojson }}
SLUG = {{ cookiecutter.project_slug | tojson }}
PACKAGE = {{ cookiecutter.package_name | tojson }}

# Packages and tools the project imports or runs on the way through the stages (and the
# course's own checker). A package of the same name shadows the real one: `import fastapi`
# would find yours, and the error shows up far from its cause.
TAKEN = {
    # stage 1 and the tools every stage uses
    "pytest", "_pytest", "pluggy", "ruff", "nox", "uv", "pip", "setuptools", "wheel",
    "argparse", "click", "typer", "rich", "checks", "tests", "src", "conftest",
    # stage 2: the database layer
    "sqlalchemy", "alembic", "greenlet",
    # stage 3: the HTTP API
    "fastapi", "starlette", "pydantic", "pydantic_core", "pydantic_settings", "uvicorn",
    "httpx", "httpcore", "anyio", "h11", "multipart", "python_multipart", "email_validator",
    # stage 4: authentication and PostgreSQL
    "jwt", "jose", "pwdlib", "passlib", "bcrypt", "argon2", "psycopg", "psycopg2", "asyncpg",
    # stages 5-7: quality, deployment, background jobs
    "coverage", "pytest_cov", "hypothesis", "schemathesis", "mypy", "dotenv", "yaml",
    "structlog", "gunicorn", "docker", "redis", "rq", "celery", "dramatiq", "arq",
}  # fmt: skip

STDLIB = set(getattr(sys, "stdlib_module_names", ()))
SLUG_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def words(text: str) -> list[str]:
    """The ASCII letters-and-digits runs in `text`: "Café 2 Go!" -> ["cafe", "2", "go"]."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.findall(r"[a-z0-9]+", ascii_text.lower())


def package_problem(name: str) -> tuple[str, str] | None:
    """What is wrong with `name` as a package name, and why it matters; None if it is fine."""
    if not name.isidentifier():
        return (
            f'the package name "{name}" is not a valid Python identifier.',
            "you import it by that name, and `import` accepts only letters, digits and "
            "underscores, not starting with a digit.",
        )
    if keyword.iskeyword(name):
        return (
            f'the package name "{name}" is a Python keyword.',
            f"`import {name}` is a syntax error.",
        )
    if name != name.lower():
        return (
            f'the package name "{name}" has capital letters.',
            "Python package names are lowercase (PEP 8), and the build looks for a lowercase "
            "folder under src/.",
        )
    if name in STDLIB:
        return (
            f'the package name "{name}" is a module of Python\'s standard library.',
            f"`import {name}` would find only one of the two, breaking your code or Python's "
            "own in confusing ways.",
        )
    if name in TAKEN:
        return (
            f'the package name "{name}" is the name of a library or tool this project uses.',
            f"your package would shadow the real `{name}`, and imports would find the wrong one.",
        )
    return None


def suggest_package(name: str) -> str:
    candidate = "_".join(words(name)) or "my_project"
    if package_problem(candidate):
        candidate = f"my_{candidate}"
    return candidate


def problems() -> list[str]:
    """One message per problem: what is wrong, why it matters, and what to type instead."""
    if not SLUG.strip():
        return [
            "the project name is empty.\n"
            "  Why: it names your folder, your command and your package.\n"
            '  Instead: give a name in words, e.g. project_name="Expense Tracker".'
        ]
    found = []
    if not SLUG_PATTERN.fullmatch(SLUG):
        slug = "-".join(words(SLUG)) or "my-project"
        found.append(
            f'the project slug "{SLUG}" (made from the project name "{PROJECT_NAME}") is not '
            "a valid command name.\n"
            "  Why: it becomes your console command and the project's name in pyproject.toml, "
            "which take lowercase letters, digits and single hyphens.\n"
            f'  Instead: use project_slug="{slug}", or a project name made of plain words.'
        )
    problem = package_problem(PACKAGE)
    if problem:
        what, why = problem
        package = suggest_package(PACKAGE)
        name = " ".join(word.capitalize() for word in package.split("_"))
        found.append(
            f"{what}\n"
            f"  Why: {why}\n"
            f'  Instead: choose a more specific project name, e.g. project_name="{name}", '
            f'or keep the name and set package_name="{package}".'
        )
    return found


def main() -> int:
    found = problems()
    for problem in found:
        print(f"Error: {problem}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
