"""Render the cookiecutter template the way a learner does: through the real CLI.

Every render shells out to `python -m cookiecutter`, so hooks run as separate processes and
exit codes are real. Renders are cached for the session because several tests read the same
project; a test that changes a rendered project must work on a copy.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / "template"
TIMEOUT = 300

# What docs/reference/manifest.md promises for each preset; the tests compare renders to this.
SLUGS = {
    "expenses": "expense-tracker",
    "bookmarks": "bookmark-keeper",
    "inventory": "inventory-manager",
    "habits": "habit-tracker",
}
DOMAINS = tuple(SLUGS)

# Identity and config that would make renders depend on the machine they run on.
_MACHINE_VARIABLES = (
    "COOKIECUTTER_CONFIG",
    "GIT_AUTHOR_NAME",
    "GIT_AUTHOR_EMAIL",
    "GIT_COMMITTER_NAME",
    "GIT_COMMITTER_EMAIL",
    "EMAIL",
)


class Cookiecutter:
    """Runs the cookiecutter CLI against the template, as on a fresh machine.

    HOME is a throw-away folder (cookiecutter writes replay files there) and git sees no
    global or system config, so the post-gen hook has to bring its own identity.
    """

    def __init__(self, home: Path, scratch: pytest.TempPathFactory) -> None:
        self.home = home
        self.scratch = scratch
        self._renders: dict[tuple[str, ...], Path] = {}
        self.env = {k: v for k, v in os.environ.items() if k not in _MACHINE_VARIABLES}
        self.env.update(
            HOME=str(home),
            GIT_CONFIG_GLOBAL=str(home / "no-such-gitconfig"),
            GIT_CONFIG_NOSYSTEM="1",
        )

    def run(
        self,
        output_dir: Path,
        *answers: str,
        template: str = str(TEMPLATE),
        options: Sequence[str] = ("--no-input",),
        stdin: str | None = None,
        env: dict[str, str] | None = None,
        default_config: bool = True,
    ) -> subprocess.CompletedProcess[str]:
        """Run `cookiecutter TEMPLATE OPTIONS -o OUTPUT_DIR ANSWERS...` and return the result.

        `--default-config` keeps a user config out, unless `default_config` is false (for a
        test that passes `--config-file` in `options`).
        """
        command = [sys.executable, "-m", "cookiecutter", template, *options]
        if default_config:
            command.append("--default-config")
        return subprocess.run(
            [*command, "-o", str(output_dir), *answers],
            input=stdin if stdin is not None else "",
            capture_output=True,
            text=True,
            env=env or self.env,
            timeout=TIMEOUT,
            check=False,
        )

    def render(self, *answers: str) -> Path:
        """The project rendered with `--no-input` and these `key=value` answers (cached)."""
        if answers not in self._renders:
            output_dir = self.scratch.mktemp("render")
            result = self.run(output_dir, *answers)
            assert result.returncode == 0, f"cookiecutter failed:\n{result.stdout}{result.stderr}"
            (project,) = output_dir.iterdir()
            self._renders[answers] = project
        return self._renders[answers]


@pytest.fixture(scope="session")
def cookiecutter(tmp_path_factory: pytest.TempPathFactory) -> Cookiecutter:
    return Cookiecutter(tmp_path_factory.mktemp("home"), tmp_path_factory)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test that takes `domain` runs once per preset."""
    if "domain" in metafunc.fixturenames:
        metafunc.parametrize("domain", DOMAINS)


@pytest.fixture
def slug(domain: str) -> str:
    """The project slug (and console command) the preset gets by default."""
    return SLUGS[domain]


@pytest.fixture
def package(slug: str) -> str:
    return slug.replace("-", "_")


@pytest.fixture(scope="session")
def template_dir() -> Path:
    return TEMPLATE
