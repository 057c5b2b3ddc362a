"""Layer contracts: import-linter 2.16's real report, read into plain sentences.

The parser tests read reports captured from import-linter 2.16; the others run the real
lint-imports, from one venv built per session, on tiny learner packages put on PYTHONPATH
(where an installed package would be on sys.path).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from checks.harness.doors.tools import import_contracts
from checks.harness.doors.tools.import_contracts import Contract
from checks.harness.failure import CheckFailed, outcome
from checks.harness.process import Completed
from checks.harness.workspace import Workspace

# What import-linter 2.16 prints before anything else (one line ends in a space).
BANNER = (
    "\n"
    "╔══╗─────────▶╔╗ ╔╗      ╔╗◀───┐\n"
    "╚╣╠╝◀─────┐  ╔╝╚╗║║────▶╔╝╚╗   │\n"
    " ║║   ╔══╦══╦╩╗╔╝║║  ╔╦═╩╗╔╝╔═╦══╗\n"
    " ║║╔══╣╔╗║╔╗║╔╣║ ║║ ╔╬╣╔╗║║ ║│║╔═╝\n"
    "╔╣╠╣║║║╚╝║╚╝║║║╚╗║╚═╝║║║║║╚╗║═╣║\n"
    "╚══╩╩╩╣╔═╩══╩╝╚═╝╚═══╩╩╝╚╩═╩╩═╩╝\n"
    "  └──▶║║                    ▲ \n"
    "      ╚╝────────────────────┘\n"
    "\n"
)

# `import sqlalchemy` on line 12 and `from sqlalchemy import orm` on line 13 of pkg/cli.py.
CLI_REPORT = (
    BANNER
    + """
---------
Contracts
---------

Analyzed 4 files, 2 dependencies.
---------------------------------

The CLI modules do not import SQLAlchemy BROKEN

Contracts: 0 kept, 1 broken.


----------------
Broken contracts
----------------

The CLI modules do not import SQLAlchemy
----------------------------------------

pkg.cli is not allowed to import sqlalchemy:

-   pkg.cli -> sqlalchemy (l.12, l.13)


"""
)

SERVICES_REPORT = (
    BANNER
    + """
---------
Contracts
---------

Analyzed 7 files, 5 dependencies.
---------------------------------

The services and domain modules do not import the CLI BROKEN

Contracts: 0 kept, 1 broken.


----------------
Broken contracts
----------------

The services and domain modules do not import the CLI
-----------------------------------------------------

pkg.services is not allowed to import argparse:

-   pkg.services.expenses -> argparse (l.1)


pkg.services is not allowed to import click:

-   pkg.services.expenses -> click (l.2)


pkg.models is not allowed to import pkg.cli:

-   pkg.models -> pkg.cli (l.1)


pkg.services is not allowed to import pkg.cli:

-   pkg.services.expenses -> pkg.cli (l.4)


"""
)

KEPT_REPORT = (
    BANNER
    + """
---------
Contracts
---------

Analyzed 3 files, 1 dependencies.
---------------------------------

The CLI modules do not import SQLAlchemy KEPT

Contracts: 1 kept, 0 broken.
"""
)

MISSING_MODULE_REPORT = BANNER + "\nModule 'pkg.cli' does not exist.\n"


def test_an_import_on_several_lines_is_one_sentence_with_every_line_number():
    assert import_contracts.broken_imports(CLI_REPORT) == [
        "`pkg.cli` imports `sqlalchemy` at lines 12, 13"
    ]


def test_each_offending_import_of_a_report_is_a_sentence_of_its_own():
    assert import_contracts.broken_imports(SERVICES_REPORT) == [
        "`pkg.services.expenses` imports `argparse` at line 1",
        "`pkg.services.expenses` imports `click` at line 2",
        "`pkg.models` imports `pkg.cli` at line 1",
        "`pkg.services.expenses` imports `pkg.cli` at line 4",
    ]


def test_the_banner_headings_and_counts_are_not_taken_for_imports():
    assert import_contracts.broken_imports(KEPT_REPORT) == []
    assert import_contracts.broken_imports(MISSING_MODULE_REPORT) == []


def test_an_import_whose_line_import_linter_could_not_tell_is_reported_without_one():
    report = "-   pkg.cli -> sqlalchemy (l.?)\n-   pkg.api -> sqlalchemy (l.?, l.7)\n"
    assert import_contracts.broken_imports(report) == [
        "`pkg.cli` imports `sqlalchemy`",
        "`pkg.api` imports `sqlalchemy` at line 7",
    ]


def test_cutting_the_banner_leaves_import_linters_message_first():
    result = Completed(("lint-imports",), 1, MISSING_MODULE_REPORT, "")
    shown = outcome(import_contracts.without_banner(result))
    assert shown == "exit code 1; stdout: Module 'pkg.cli' does not exist.; stderr: (empty)"


def test_the_contract_analyses_the_learners_packages_and_names_others_by_their_top_level():
    rule = Contract("Rule", ("pkg.services", "pkg.models"), ("click", "argparse", "app.cli"))
    assert rule.own_modules == ("pkg.services", "pkg.models", "app.cli")
    ini = rule.ini()
    assert "root_packages =\n    app\n    pkg\ninclude_external_packages = True" in ini
    assert "forbidden_modules =\n    click\n    argparse\n    app.cli\n" in ini


# Real runs of lint-imports ------------------------------------------------------------------


@pytest.fixture(scope="session")
def linter_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv with import-linter, installed the way the checker installs it."""
    root = tmp_path_factory.mktemp("import-linter")
    workspace = Workspace(source=root, root=root)
    workspace.project.mkdir()
    made = workspace.uv("venv", "--quiet", "--python", sys.executable, str(workspace.venv))
    assert made.ok, outcome(made)
    import_contracts.install(workspace)
    return workspace.venv


@dataclass
class Learner(Workspace):
    """A learner's project with its own folder and the session's venv; `src` is on
    PYTHONPATH, as the installed package would be on sys.path."""

    shared_venv: Path = field(default_factory=Path)

    @property
    def venv(self) -> Path:
        return self.shared_venv

    def env(self, **extra: str) -> dict[str, str]:
        return super().env(PYTHONPATH=str(self.project / "src"), **extra)


@pytest.fixture
def learner(tmp_path: Path, linter_venv: Path) -> Callable[[dict[str, str]], Learner]:
    """Make a project whose `src` holds `files` (path: text)."""

    def make(files: dict[str, str]) -> Learner:
        workspace = Learner(source=tmp_path, root=tmp_path, shared_venv=linter_venv)
        for name, text in files.items():
            path = workspace.project / "src" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return workspace

    return make


CLI_RULE = Contract("The CLI modules do not import SQLAlchemy", ("pkg.cli",), ("sqlalchemy",))
FAKE_SQLALCHEMY = {"sqlalchemy/__init__.py": "", "sqlalchemy/orm.py": ""}


def broken(workspace: Workspace, rule: Contract) -> CheckFailed:
    with pytest.raises(CheckFailed) as failure:
        import_contracts.enforce(workspace, rule)
    return failure.value


def test_a_cli_importing_sqlalchemy_on_two_lines_fails_naming_both_lines(learner):
    cli = "import os\n" + "\n" * 10 + "import sqlalchemy\nfrom sqlalchemy import orm\n"
    project = learner({"pkg/__init__.py": "", "pkg/cli.py": cli, **FAKE_SQLALCHEMY})
    failure = broken(project, CLI_RULE)
    assert failure.problem == "the CLI modules do not import SQLAlchemy — but some do"
    assert failure.got == "`pkg.cli` imports `sqlalchemy` at lines 12, 13"


@pytest.mark.parametrize("installed", [True, False], ids=["installed", "not-installed"])
def test_a_cli_that_does_not_import_sqlalchemy_keeps_the_contract(learner, installed):
    files = {"pkg/__init__.py": "", "pkg/cli.py": "import argparse\n"}
    import_contracts.enforce(learner(files | (FAKE_SQLALCHEMY if installed else {})), CLI_RULE)


def test_a_forbidden_package_that_is_not_installed_is_still_caught_when_imported(learner):
    project = learner({"pkg/__init__.py": "", "pkg/cli.py": "import os\nimport sqlalchemy\n"})
    assert broken(project, CLI_RULE).got == "`pkg.cli` imports `sqlalchemy` at line 2"


@pytest.mark.parametrize(
    ("folders", "layer"),
    [
        ({"pkg": False}, "pkg.cli"),
        ({"pkg": True, "pkg/inner": False}, "pkg.inner.cli"),
        ({"ns": False, "ns/pkg": True, "ns/pkg/ui": False}, "ns.pkg.ui.cli"),
    ],
    ids=["package-without-init", "folder-without-init-in-a-package", "namespace-around-both"],
)
def test_a_layer_in_a_folder_without_init_py_is_analysed_like_any_other(learner, folders, layer):
    inits = {f"{folder}/__init__.py": "" for folder, regular in folders.items() if regular}
    cli = layer.replace(".", "/") + ".py"
    rule = Contract("The CLI modules do not import SQLAlchemy", (layer,), ("sqlalchemy",))
    project = learner({**inits, cli: "import sqlalchemy\n"})
    assert broken(project, rule).got == f"`{layer}` imports `sqlalchemy` at line 1"


def test_a_layer_that_is_a_folder_without_init_py_is_analysed_with_its_modules(learner):
    files = {"pkg/__init__.py": "", "pkg/cli/main.py": "import os\nimport sqlalchemy\n"}
    rule = Contract("The CLI modules do not import SQLAlchemy", ("pkg.cli",), ("sqlalchemy",))
    assert broken(learner(files), rule).got == "`pkg.cli.main` imports `sqlalchemy` at line 2"


def test_services_importing_a_cli_in_a_folder_without_init_py_fail_for_each_import(learner):
    files = {
        "pkg/__init__.py": "",
        "pkg/services.py": "import argparse\nfrom pkg.inner import cli\n",
        "pkg/inner/cli.py": "import click\n",
    }
    rule = Contract(
        "The services do not import the CLI",
        ("pkg.services",),
        ("argparse", "click", "pkg.inner.cli"),
    )
    assert broken(learner(files), rule).got.splitlines() == [
        "`pkg.services` imports `argparse` at line 1",
        "`pkg.services` imports `pkg.inner.cli` at line 2",
    ]


def test_a_long_module_name_is_read_whole_not_wrapped_at_80_columns(learner):
    module = "expense_tracker_application.interfaces.command_line_interface.main"
    path = module.replace(".", "/") + ".py"
    rule = Contract("The CLI modules do not import SQLAlchemy", (module,), ("sqlalchemy",))
    project = learner({path: "import sqlalchemy\n" * 12})
    lines = ", ".join(str(n) for n in range(1, 13))
    assert broken(project, rule).got == f"`{module}` imports `sqlalchemy` at lines {lines}"


@pytest.mark.parametrize(
    ("module", "said"),
    [
        ("pkg.cli", "Module 'pkg.cli' does not exist."),
        ("pkgx.cli", "Could not find package 'pkgx' in your Python path."),
    ],
    ids=["missing-module", "missing-package"],
)
def test_a_layer_module_that_does_not_exist_is_reported_in_import_linters_words(
    learner, module, said
):
    project = learner({"pkg/__init__.py": "", "pkg/commands.py": "import sqlalchemy\n"})
    rule = Contract("The CLI modules do not import SQLAlchemy", (module,), ("sqlalchemy",))
    failure = broken(project, rule)
    assert failure.problem == "import-linter could not analyse your package"
    assert failure.got == f"exit code 1; stdout: {said}; stderr: (empty)"
    assert failure.fix is not None and "[tool.roadmap.layers]" in failure.fix
