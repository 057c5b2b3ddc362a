"""02-layers/service-tests, before the suite runs: which test files test the services."""

from dataclasses import dataclass
from pathlib import Path

import pytest

from checks.harness.failure import CheckFailed
from checks.harness.manifest import Layers
from checks.stage_02_layers.check_service_tests import check_service_tests, service_test_files

SERVICES_TEST = "from todo.services import add_task\n\ndef test_add():\n    add_task('x')\n"
CLI_TEST = "from todo import cli, services\n\ndef test_cli():\n    cli.main([])\n"
WITH_CLI = Layers(cli=("todo.cli",), services=("todo.services",), domain=("todo.models",))
API_ONLY = Layers(cli=(), services=("app.services",), domain=("app.models",))


@dataclass(frozen=True)
class FakeWorkspace:
    pristine: Path


@dataclass(frozen=True)
class FakeManifest:
    layers: Layers

    def require_layers(self) -> Layers:
        return self.layers


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def _failure(project: Path, layers: Layers) -> CheckFailed:
    with pytest.raises(CheckFailed) as raised:
        check_service_tests(FakeWorkspace(project), FakeManifest(layers), None, None)  # type: ignore
    return raised.value


@pytest.mark.parametrize("folder", ["src/tests", "TodoApp/test", "tests/unit"])
def test_service_tests_are_found_wherever_pytest_finds_them(tmp_path, folder):
    elsewhere = ("venv", ".tox/py312", "node_modules/x", "build/lib")  # pytest never looks
    files = {f"{skipped}/test_services.py": SERVICES_TEST for skipped in elsewhere}
    project = _tree(tmp_path, {**files, f"{folder}/test_services.py": SERVICES_TEST})
    found = service_test_files(project, WITH_CLI.services, WITH_CLI.cli)
    assert [str(path.relative_to(project)) for path in found] == [f"{folder}/test_services.py"]


def test_a_test_that_imports_the_cli_too_is_not_a_service_test_and_is_named(tmp_path):
    project = _tree(tmp_path, {"src/tests/test_cli.py": CLI_TEST, ".venv/test_x.py": ""})

    failure = _failure(project, WITH_CLI)

    assert failure.problem == "no test file imports your services without also importing the CLI"
    assert failure.got == (
        "test files found in the whole project: src/tests/test_cli.py (imports the CLI too)"
    )
    assert failure.expected == "a test file that imports todo.services, and not todo.cli"


def test_an_api_only_project_is_told_what_it_needs_in_a_whole_sentence(tmp_path):
    config = '[tool.pytest.ini_options]\ntestpaths = ["t"]\n'  # names a folder not there
    project = _tree(tmp_path, {"pyproject.toml": config})

    failure = _failure(project, API_ONLY)

    assert failure.problem == "no test file imports your services"
    assert failure.expected == "a test file that imports app.services"
    assert failure.got == (
        "no test files in the whole project (pytest collects test_*.py and *_test.py)"
    )


def test_several_service_modules_are_listed_as_a_choice(tmp_path):
    layers = Layers(cli=("a.cli", "a.main"), services=("a.services", "a.rules"), domain=())
    failure = _failure(_tree(tmp_path, {"tests/test_x.py": ""}), layers)
    assert failure.expected == (
        "a test file that imports one of a.services, a.rules, and not any of a.cli, a.main"
    )
