"""What the command line decides reaches every parallel worker unchanged."""

from pathlib import Path

from checks.cli import parse_args
from checks.harness import manifest as manifest_module
from checks.harness.settings import Settings
from tests.harness.test_manifest import GOOD


def test_mutation_testing_is_off_unless_asked_and_its_budget_travels_to_the_workers(tmp_path):
    assert parse_args(["project"]).mutation is False
    assert parse_args(["project", "--mutation"]).mutation_budget is None  # the default
    assert parse_args(["project", "--mutation-budget", "90"]).mutation_budget == 90.0
    (tmp_path / "pyproject.toml").write_text(GOOD)
    manifest = manifest_module.load(tmp_path)
    settings = Settings(Path("p"), manifest, 5, 1, 15.0, mutation=True, mutation_budget=90.0)

    again = Settings.from_json(settings.to_json())

    assert (again.mutation, again.mutation_budget) == (True, 90.0)
    assert Settings.from_json(Settings(Path("p"), manifest, 5, 1, 15.0).to_json()).mutation is False
