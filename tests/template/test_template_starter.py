"""Each rendered starter installs, passes its own tests and lints clean in a fresh venv.

These build a real virtual environment per project with uv (seconds each), so they are
marked slow. A learner's first `pytest` and `ruff check` must be green.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.template.conftest import Cookiecutter

pytestmark = pytest.mark.slow

TIMEOUT = 600
# Set by `uv run`, nox or an activated venv; any of them would point uv at the wrong env.
_ENV_VARIABLES = ("VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "PYTHONPATH", "PYTEST_ADDOPTS")


def uv_binary() -> str:
    try:
        from uv import find_uv_bin
    except ImportError:
        found = shutil.which("uv")
    else:
        found = find_uv_bin()
    if not found:
        pytest.fail("uv is needed to build the starter's venv: install the `uv` package")
    return found


class Starter:
    """A rendered project, copied and installed with its dev group into its own venv."""

    def __init__(self, source: Path, workdir: Path) -> None:
        self.project = workdir / source.name
        shutil.copytree(source, self.project)  # the session's render stays untouched
        self.venv = workdir / "venv"
        self.env = {k: v for k, v in os.environ.items() if k not in _ENV_VARIABLES}
        self.python = str(self.venv / ("Scripts" if os.name == "nt" else "bin") / "python")
        uv = uv_binary()
        self.run(uv, "venv", "--quiet", "--python", sys.executable, str(self.venv))
        install = ("pip", "install", "--quiet", "--python", self.python, "-e", ".")
        self.run(uv, *install, "--group", "dev")

    def run(self, *command: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            command,
            cwd=self.project,
            capture_output=True,
            text=True,
            env=self.env,
            timeout=TIMEOUT,
            check=False,
        )
        output = result.stdout + result.stderr
        assert result.returncode == 0, f"{' '.join(command)} failed:\n{output}"
        return result

    def script(self, name: str) -> str:
        return str(Path(self.python).with_name(name))


@pytest.fixture(scope="module")
def installed(
    cookiecutter: Cookiecutter, tmp_path_factory: pytest.TempPathFactory
) -> Callable[..., Starter]:
    """Install each rendered project once per module, whatever order the tests run in."""
    cache: dict[tuple[str, ...], Starter] = {}

    def get(*answers: str) -> Starter:
        if answers not in cache:
            workdir = tmp_path_factory.mktemp("starter")
            cache[answers] = Starter(cookiecutter.render(*answers), workdir)
        return cache[answers]

    return get


def test_every_preset_passes_its_own_tests(installed: Callable[..., Starter], domain: str) -> None:
    project = installed(f"domain={domain}")

    result = project.run(project.python, "-m", "pytest", "-q", "-p", "no:cacheprovider")

    assert " passed" in result.stdout


def test_every_preset_passes_ruff_check_and_ruff_format(
    installed: Callable[..., Starter], domain: str
) -> None:
    project = installed(f"domain={domain}")

    project.run(project.python, "-m", "ruff", "check", "--no-cache", ".")
    project.run(project.python, "-m", "ruff", "format", "--check", "--no-cache", ".")


def test_every_preset_installs_its_console_command_with_help_and_version(
    installed: Callable[..., Starter], domain: str, slug: str, package: str
) -> None:
    project = installed(f"domain={domain}")

    assert f"usage: {slug}" in project.run(project.script(slug), "--help").stdout
    assert project.run(project.script(slug), "--version").stdout.strip() == f"{slug} 0.1.0"
    as_module = project.run(project.python, "-m", package, "--version")
    assert as_module.stdout.strip() == f"{slug} 0.1.0"


def test_a_starter_with_its_own_package_name_installs_and_passes(
    installed: Callable[..., Starter],
) -> None:
    project = installed("project_name=Penny Pincher", "package_name=pennies")

    project.run(project.python, "-m", "pytest", "-q", "-p", "no:cacheprovider")
    project.run(project.python, "-m", "ruff", "check", "--no-cache", ".")
    project.run(project.python, "-m", "ruff", "format", "--check", "--no-cache", ".")
    assert "usage: penny-pincher" in project.run(project.script("penny-pincher"), "--help").stdout


def test_the_test_command_printed_after_generation_passes_in_a_fresh_starter(
    cookiecutter: Cookiecutter, tmp_path: Path
) -> None:
    # `uv run pytest`, exactly as the post-gen hook prints it: uv makes .venv and installs
    # the dev group itself. UV_PYTHON only keeps uv from looking for another Python.
    project = tmp_path / "expense-tracker"
    shutil.copytree(cookiecutter.render(), project)
    env = {k: v for k, v in os.environ.items() if k not in _ENV_VARIABLES}
    env["UV_PYTHON"] = sys.executable

    result = subprocess.run(
        [uv_binary(), "run", "pytest"],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        timeout=TIMEOUT,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout
