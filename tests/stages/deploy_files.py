"""A stage-6 project built by hand: reference 4, a /health route, and the files that deploy it.

Until reference 6 exists (stages/06-deploy/reference/), the stage-6 checks are proved on
this: a multi-stage Dockerfile with an entrypoint that migrates, compose with PostgreSQL,
a CI workflow, a README with its sections and three ADRs. Each planted defect of the
spec's mutant list is a small edit of one of these files (test_06_deploy.py).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

HEALTH_ROUTE = """
    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "pass"}

    return app
"""

DOCKERFILE = """\
# syntax=docker/dockerfile:1
FROM python:3.12-slim AS build
RUN pip install --no-cache-dir uv==0.13.8
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
RUN uv sync --no-dev --no-editable

FROM python:3.12-slim AS runtime
RUN useradd --system --uid 10001 --no-create-home app
WORKDIR /app
COPY --from=build /app/.venv /app/.venv
COPY alembic.ini ./
COPY migrations ./migrations
COPY --chmod=755 docker-entrypoint.sh ./
ENV PATH="/app/.venv/bin:$PATH" \\
    PYTHONUNBUFFERED=1 \\
    APP_ENV=production
USER 10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s \\
    CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/health')"]
ENTRYPOINT ["/app/docker-entrypoint.sh"]
CMD ["uvicorn", "expense_tracker.api.main:app", "--host", "0.0.0.0", "--port", "8000"]
"""

ENTRYPOINT = """\
#!/bin/sh
# Bring the schema up to date, then run the command (by default the server) as PID 1.
set -eu
cd "$(dirname "$0")"
alembic upgrade head
exec "$@"
"""

DOCKERIGNORE = """\
.git
.env
.env.*
.venv
**/__pycache__
**/*.py[cod]
.pytest_cache
.ruff_cache
**/*.db
**/*.sqlite3
"""

COMPOSE = """\
services:
  db:
    image: postgres:16-alpine
    environment:
      POSTGRES_USER: ${POSTGRES_USER:-expenses}
      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it in .env}
      POSTGRES_DB: ${POSTGRES_DB:-expenses}
    volumes:
      - pgdata:/var/lib/postgresql/data
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U $${POSTGRES_USER} -d $${POSTGRES_DB}"]
      interval: 5s
      retries: 10
  app:
    build: .
    environment:
      APP_ENV: production
      DATABASE_URL: "postgresql+psycopg://${POSTGRES_USER:-expenses}:\\
        ${POSTGRES_PASSWORD:?set it in .env}@db:5432/${POSTGRES_DB:-expenses}"
      SECRET_KEY: ${SECRET_KEY:?set it in .env}
    ports:
      - "127.0.0.1:8000:8000"
    depends_on:
      db:
        condition: service_healthy
volumes:
  pgdata:
"""

ENV_EXAMPLE = """\
APP_ENV=development
DATABASE_URL=postgresql+psycopg://expenses:change-me@localhost:5432/expenses
SECRET_KEY=change-me
ACCESS_TOKEN_EXPIRE_MINUTES=30
POSTGRES_USER=expenses
POSTGRES_PASSWORD=change-me
POSTGRES_DB=expenses
"""

CHECKOUT = "actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0"
SETUP_UV = "astral-sh/setup-uv@d9e0f98d3fc6adb07d1e3d37f3043649ddad06a1 # v6.5.0"
WORKFLOW = f"""\
name: CI
on:
  push:
  pull_request:
permissions:
  contents: read
jobs:
  tests:
    runs-on: ubuntu-latest
    services:
      postgres:
        image: postgres:16-alpine
        env:
          POSTGRES_USER: expenses
          POSTGRES_PASSWORD: expenses
        ports: ["5432:5432"]
        options: --health-cmd pg_isready
    env:
      DATABASE_URL: postgresql+psycopg://expenses:expenses@localhost:5432/expenses
    steps:
      - uses: {CHECKOUT}
        with:
          persist-credentials: false
      - uses: {SETUP_UV}
      - run: uv sync --locked
      - run: uv run ruff check .
      - run: uv run pytest
"""

ADR = """\
# {number}. {title}

## Context

{title} matters for a service anyone can run.

## Decision

We {title_lower}.

## Consequences

Easier to run; one more thing to keep up to date.
"""
ADRS = {
    "docs/decisions/0101-image-size-before-build-time.md": "Image size before build time",
    "docs/decisions/0102-migrations-at-start.md": "Migrations at start",
    "docs/decisions/0103-secrets-in-the-environment.md": "Secrets in the environment",
}

README = """\
# Expense Tracker

## What it does

Records expenses and sums them by category.

## Architecture

```mermaid
flowchart LR
  client --> api[FastAPI] --> services --> db[(PostgreSQL)]
```

## Setup

```bash
cp .env.example .env
alembic upgrade head
```

## Usage

```bash
expense-tracker --help
```

## Tests

```bash
uv run pytest
```

## Trade-offs

- [Image size before build time](docs/decisions/0101-image-size-before-build-time.md)
- [Migrations at start](docs/decisions/0102-migrations-at-start.md)
- [Secrets in the environment](docs/decisions/0103-secrets-in-the-environment.md)

## What comes next

Background jobs.
"""

FILES = {
    "Dockerfile": DOCKERFILE,
    "docker-entrypoint.sh": ENTRYPOINT,
    ".dockerignore": DOCKERIGNORE,
    "compose.yaml": COMPOSE,
    ".env.example": ENV_EXAMPLE,
    ".github/workflows/ci.yml": WORKFLOW,
    "README.md": README,
}


def git(project: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Learner", "-c", "user.email=learner@example.com", *args],
        cwd=project,
        check=True,
        capture_output=True,
    )


def make_deployable(project: Path) -> Path:
    """Turn a copy of reference 4 into a stage-6 project, committed."""
    main = project / "src/expense_tracker/api/main.py"
    text = main.read_text()
    main.write_text(text.replace("\n    return app\n", HEALTH_ROUTE, 1))
    for name, content in {**FILES, **_adrs()}.items():
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    (project / "docker-entrypoint.sh").chmod(0o755)
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("stage = 4 ", "stage = 6 "))
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "Deploy: a Dockerfile, compose, CI and a README")
    return project


def _adrs() -> dict[str, str]:
    return {
        path: ADR.format(
            number=int(path.split("/")[-1][:4]), title=title, title_lower=title.lower()
        )
        for path, title in ADRS.items()
    }


def change(project: Path, name: str, old: str, new: str, message: str = "Change") -> None:
    """Plant a defect: replace `old` by `new` in one file, and commit it."""
    path = project / name
    text = path.read_text()
    assert old in text, f"{old!r} is not in {name}"
    path.write_text(text.replace(old, new, 1))
    git(project, "commit", "-q", "-am", message)
