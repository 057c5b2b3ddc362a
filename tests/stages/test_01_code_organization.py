"""01-cli/code-organization judges what the command's module does, not the names it calls."""

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from checks.harness.failure import CheckFailed
from checks.stage_01_cli.check_organization import check_code_organization, file_io

# Six correct stage-1 shapes, each the command's module of a project written from the brief.
CORRECT = {
    "calls into its own storage module": """
from expense_tracker import storage
from expense_tracker.storage import Repository, load


def main(argv=None):
    records = storage.load()
    storage.save(records)
    repo = Repository(storage.data_path())
    repo.save(repo.load())
    repo.dump()
    load()
""",
    "prints json.dumps": """
import json
import sys


def main():
    text = json.dumps({"total": 3}, indent=2)
    sys.stdout.write(text + "\\n")
""",
    "json.dump to sys.stdout, in a helper": """
import json
import sys
from sys import stderr


def _print_json(value, stream=sys.stdout):
    json.dump(value, stream, indent=2)


def main():
    json.dump([], sys.stdout)
    json.dump({"error": "no such id"}, fp=stderr)
    records = json.load(sys.stdin)
    _print_json(records)
""",
    "print(json.dumps(...))": """
import json as j


def main():
    print(j.dumps([{"id": 1}]))
""",
    "a typer app": """
import json
from pathlib import Path

import typer

from .storage import load_expenses, save_expenses

app = typer.Typer()


@app.command()
def add(amount: float, data_file: Path = typer.Option(Path("data.json"))) -> None:
    expenses = load_expenses(data_file)
    save_expenses(data_file, [*expenses, {"amount": amount}])
    typer.echo(json.dumps(expenses))
""",
    "a package entry that only runs main": """
from expense_tracker.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
""",
}

DEFECTS = {
    "open() in cli.py": (
        """
import json

from expense_tracker.storage import data_path


def summary():
    with open(data_path(), encoding="utf-8") as file:
        return json.load(file)["expenses"]
""",
        ["open() on line 8", "json.load() on line 9"],
    ),
    "Path(...).write_text in cli.py": (
        """
import json
import os
from pathlib import Path


def save(records):
    Path(os.environ["DATA_FILE"]).write_text(json.dumps(records))
""",
        ['Path(os.environ["DATA_FILE"]).write_text() on line 8'],
    ),
    "a path made in the module, then opened": (
        """
import pickle
from pathlib import Path

DATA = Path.home() / ".expenses"


def load(folder: Path):
    with (folder / "data.pickle").open("rb") as file:
        return pickle.load(file)


def dump(records):
    with DATA.open("wb") as file:
        pickle.dump(records, file)
""",
        [
            '(folder / "data.pickle").open() on line 9',
            "pickle.load() on line 10",
            "DATA.open() on line 14",
            "pickle.dump() on line 15",
        ],
    ),
    "json.dump to a file it was given": (
        """
import json


def save(records, file):
    json.dump(records, file)
""",
        ["json.dump() on line 6"],
    ),
}


@pytest.mark.parametrize("shape", CORRECT)
def test_a_correct_command_module_does_no_file_io(shape):
    assert file_io(CORRECT[shape]) == []


@pytest.mark.parametrize("defect", DEFECTS)
def test_file_io_in_the_command_module_is_found_and_named_by_line(defect):
    source, calls = DEFECTS[defect]
    assert file_io(source) == calls


@dataclass(frozen=True)
class FakeCli:
    command: str = "expense-tracker"


@dataclass(frozen=True)
class FakePackage:
    scripts: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class FakeManifest:
    package: FakePackage
    cli: FakeCli = FakeCli()


@dataclass(frozen=True)
class FakeWorkspace:
    pristine: Path


MODELS = "from dataclasses import dataclass\n\n\n@dataclass\nclass Expense:\n    amount: int\n"
STORAGE = (
    "import json\n\n\ndef load(path):\n    with open(path) as f:\n        return json.load(f)\n"
)
MAIN = CORRECT["a package entry that only runs main"]


def _check(project: Path, files: dict[str, str], script: str) -> None:
    for name, text in files.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text)
    manifest = FakeManifest(FakePackage({"expense-tracker": script}))
    check_code_organization(FakeWorkspace(project), manifest)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("entry", "script"),
    [
        ("__main__.py", "expense_tracker.__main__:main"),
        ("__init__.py", "expense_tracker:main"),
    ],
)
def test_a_package_whose_command_lives_in_a_dunder_module_passes(tmp_path, entry, script):
    code = "from expense_tracker import storage\n\n\ndef main():\n    print(storage.load('x'))\n"
    package = "src/expense_tracker"
    files = {f"{package}/{entry}": code, f"{package}/storage.py": STORAGE}
    files.setdefault(f"{package}/__init__.py", "")
    _check(tmp_path, files, script)  # no failure: two modules with code, no I/O in the entry


def test_a_starter_with_all_its_code_in_cli_py_is_told_so_by_name(tmp_path):
    cli = "import argparse\n\n\ndef main():\n    argparse.ArgumentParser().print_help()\n"
    package = "src/expense_tracker"
    files = {f"{package}/__init__.py": '__version__ = "0.1.0"\n', f"{package}/__main__.py": MAIN}
    with pytest.raises(CheckFailed) as raised:
        _check(tmp_path, {**files, f"{package}/cli.py": cli}, "expense_tracker.cli:main")
    assert raised.value.problem == "all your code is in one module, src/expense_tracker/cli.py"


def test_a_long_module_and_file_io_in_the_command_are_both_reported(tmp_path):
    package = "src/expense_tracker"
    cli = DEFECTS["open() in cli.py"][0] + "\n" * 300
    files = {f"{package}/__init__.py": "", f"{package}/cli.py": cli, f"{package}/models.py": MODELS}
    with pytest.raises(CheckFailed) as raised:
        _check(tmp_path, files, "expense_tracker.cli:main")
    assert raised.value.problem == (
        "src/expense_tracker/cli.py has 309 lines; src/expense_tracker/cli.py does file I/O "
        "itself: open() on line 8, json.load() on line 9"
    )


def test_a_single_module_command_counts_the_modules_it_imports_beside_it(tmp_path):
    entry = "import storage\n\n\ndef main():\n    storage.load('x')\n"
    files = {"tracker.py": entry, "storage.py": STORAGE, "tests/test_tracker.py": MODELS}
    _check(tmp_path, files, "tracker:main")
    with pytest.raises(CheckFailed) as raised:
        _check(tmp_path, {"tracker.py": "def main():\n    pass\n"}, "tracker:main")
    assert raised.value.problem == "all your code is in one module, tracker.py"
