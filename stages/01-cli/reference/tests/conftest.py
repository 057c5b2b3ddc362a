"""Shared fixtures: every test gets its own data file, so no test sees another's expenses."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from expense_tracker.cli import main


@pytest.fixture
def data_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data file that does not exist yet, named by DATA_FILE as the real CLI reads it."""
    path = tmp_path / "expenses.json"
    monkeypatch.setenv("DATA_FILE", str(path))
    return path


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> object:
        return json.loads(self.out)


@pytest.fixture
def cli(data_file: Path, capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """Run the command line in-process: `cli("list", "--json")` -> Result."""

    def invoke(*argv: str) -> Result:
        try:
            code = main(list(argv))
        except SystemExit as stop:  # argparse exits on --help and on usage errors
            code = int(stop.code or 0)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke
