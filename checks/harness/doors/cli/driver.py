"""Drive the learner's console command the way the manifest says, and keep a transcript.

The transcript becomes the "try" block of a failure: the exact commands, in order, that a
learner can paste into a shell to see the problem for themselves.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import replace
from pathlib import Path
from typing import Any

from checks.harness.doors.storage import Storage
from checks.harness.failure import (
    CheckFailed,
    NotApplicable,
    a,
    command_line,
    outcome,
    require_success,
    shown_json,
)
from checks.harness.manifest import Cli, Manifest, Summary
from checks.harness.process import Completed, run
from checks.harness.transcript import Step, Transcript
from checks.harness.values import same_value
from checks.harness.workspace import Workspace

NO_MODULE = re.compile(r"ModuleNotFoundError: No module named '([\w.]+)'")
NO_NAME = re.compile(r"ImportError: cannot import name '(\w+)' from '([\w.]+)'")
HELP = "01-cli/help"  # the check that grades "the command starts"
ADD = "01-cli/add-then-list"
LIST = "01-cli/list-json"


def fill(args: tuple[str, ...], values: dict[str, str]) -> list[str]:
    """Replace `{name}` placeholders; drop a field that has no value, with its option flag."""
    filled: list[str] = []
    for arg in args:
        missing = [name for name in _placeholders(arg) if name not in values]
        if missing:
            if arg == "{" + missing[0] + "}" and filled and filled[-1].startswith("-"):
                filled.pop()  # "--amount", "{amount}" go together
            continue
        for name, value in values.items():
            arg = arg.replace("{" + name + "}", value)
        filled.append(arg)
    return filled


def _placeholders(arg: str) -> list[str]:
    names, rest = [], arg
    while "{" in rest and "}" in rest.split("{", 1)[1]:
        name, rest = rest.split("{", 1)[1].split("}", 1)
        names.append(name)
    return names


class LearnerCli:
    """One check's view of the learner's command, on storage of its own."""

    def __init__(
        self,
        manifest: Manifest,
        workspace: Workspace,
        timeout: float,
        storage: Storage,
        transcript: Transcript,
    ) -> None:
        self.manifest = manifest
        self.workspace = workspace
        self.timeout = timeout
        self.storage = storage
        self.shared_transcript = transcript
        self.transcript: list[list[str]] = []  # this command's runs, for `ran` lines

    @property
    def data_file(self) -> Path:
        return self.storage.data_file

    @property
    def old_data_file(self) -> Path:
        return self.storage.old_data_file

    @property
    def config(self) -> Cli:
        return self.manifest.require_cli()

    @property
    def summary(self) -> Summary:
        if self.manifest.summary is None:
            raise NotApplicable("the manifest declares no summary")
        return self.manifest.summary

    @property
    def command(self) -> str:
        return self.config.command

    @property
    def executable(self) -> Path:
        return self.workspace.bin / self.command

    def run(self, args: list[str]) -> Completed:
        argv = [self.command, *args]
        self.transcript.append(argv)
        for line in self.storage.setup_lines():
            self.shared_transcript.set_up(line)
        step = self.shared_transcript.add(Step(tuple(argv)))
        if not self.executable.exists():
            raise CheckFailed(
                f"the command `{self.command}` was not installed by your project",
                ran=command_line(argv),
                got=f"no `{self.command}` in the environment after installing your project",
                expected=f"pyproject.toml to declare it under [project.scripts], for example "
                f'{self.command} = "your_package.cli:main"',
                step=HELP,
            )
        result = run(
            [str(self.executable), *args],
            cwd=self.workspace.project,
            env=self.workspace.env(**self.storage.env()),
            timeout=self.timeout,
        )
        result = replace(result, argv=tuple(argv))  # the command as the learner types it
        step.saw = _saw(result)
        self._require_own_modules(result)
        return result

    def _require_own_modules(self, result: Completed) -> None:
        """A module that is in the learner's source folder but missing from the installed
        package is a packaging bug: say so once, as the `help` step, instead of failing
        every check on an ImportError."""
        missing = _missing_module(result.stderr)
        if missing is None or not self._in_source(missing):
            return
        own = missing.split(".")[0]
        raise CheckFailed(
            f"your installed command cannot import {missing}: it is in your source folder "
            "but not in the package your project builds",
            ran=command_line(result.argv),
            got=outcome(result),
            expected=f"every module of {own} inside the installed package (it works from "
            "your source folder, or installed with `pip install -e .`, but not from a "
            "normal install)",
            fix=f"build and look inside: `uv build`, then `unzip -l dist/*.whl`. Keep the "
            f"package in one folder (src/{own}/, with an __init__.py in each subfolder), and "
            "if your pyproject.toml lists or excludes files for the build backend "
            "([tool.setuptools], [tool.hatch.build], [tool.uv.build-backend]), make it "
            "include every module",
            step=HELP,
        )

    def _in_source(self, module: str) -> bool:
        relative = Path(*module.split("."))
        return any(
            (root / relative).with_suffix(".py").is_file() or (root / relative).is_dir()
            for root in (self.workspace.pristine / "src", self.workspace.pristine)
        )

    # The manifest's actions ------------------------------------------------------------

    def add(self, record: dict[str, str]) -> Completed:
        self.storage.sent(record)
        return self.run(fill(self.config.add, record))

    def add_ok(self, record: dict[str, str]) -> None:
        require_success(
            self.add(record),
            f"adding {a(self.manifest.record)}",
            fix=f"make `{self.command} {' '.join(self.config.add)}` work: it must accept "
            f"those arguments, save the {self.manifest.record} and exit with code 0",
            step=ADD,
        )

    def show(self, record_id: Any) -> Completed:
        return self.run(fill(self.config.show, {"id": str(record_id)}))

    def delete(self, record_id: Any) -> Completed:
        return self.run(fill(self.config.delete, {"id": str(record_id)}))

    def listing(self) -> list[dict[str, Any]]:
        """Run `list` and return its records, failing clearly if it is not a JSON array.

        A record this check never added means the program did not use the check's own
        storage: that is said as such, not as a listing or delete problem.
        """
        result = self.run(list(self.config.list))
        doing = f"listing {self.manifest.record} records"
        list_line = shlex.join([self.command, *self.config.list])
        require_success(
            result,
            doing,
            fix=f"make `{list_line}` print every {self.manifest.record} as a JSON array and "
            "exit with code 0",
            step=LIST,
        )
        records = self.json_output(
            result, 'a JSON array of objects, for example [] or [{"id": 1, ...}]', step=LIST
        )
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise CheckFailed(
                "the listing is JSON, but not an array of objects",
                ran=command_line(result.argv),
                got=outcome(result),
                expected='a JSON array of objects, for example [{"id": 1, ...}]',
                step=LIST,
            )
        self.storage.require_isolated(records, self.manifest, ran=command_line(result.argv))
        return records

    def json_output(self, result: Completed, expected: str, step: str | None = None) -> Any:
        try:
            return json.loads(result.stdout)
        except json.JSONDecodeError as error:
            raise CheckFailed(
                "the output is not valid JSON",
                ran=command_line(result.argv),
                got=f"{outcome(result)} (JSON error: {error.msg} at line {error.lineno}, "
                f"column {error.colno})",
                expected=f"{expected}, and nothing else on stdout",
                step=step,
            ) from None

    def find(self, records: list[dict[str, Any]], record: dict[str, str]) -> dict[str, Any]:
        """The one listed record that carries every value of `record`, or a failure."""
        fields = self.manifest.fields
        for listed in records:
            if all(same_value(fields[k], v, listed.get(k)) for k, v in record.items()):
                return listed
        raise CheckFailed(
            f"the {self.manifest.record} that was added is not in the listing",
            ran=shlex.join(self.transcript[-1]),
            got=shown_json(records),
            expected=f"a record with {describe_record(record)}",
        )

    def id_of(self, record: dict[str, Any]) -> Any:
        id_field = self.manifest.id_field
        if id_field not in record:
            raise CheckFailed(
                f"a listed {self.manifest.record} has no `{id_field}` key",
                got=shown_json(record),
                expected=f'every record to carry its id as "{id_field}" (the manifest key '
                "id_field names it)",
            )
        return record[id_field]


def _saw(result: Completed) -> str:
    """What a run of the command showed, for its line in a transcript: nothing when it
    simply worked."""
    if result.timed_out:
        return f"still running after {result.seconds:.0f} s, so it was stopped"
    if result.flooded or result.killed_for:
        return "stopped: " + outcome(result).split(": ", 1)[-1]
    return "" if result.exit_code == 0 else f"exit {result.exit_code}"


def describe_record(record: dict[str, str]) -> str:
    return ", ".join(f"{name}={value!r}" for name, value in record.items())


def _missing_module(stderr: str) -> str | None:
    """The module an import error says is missing (`pkg.sub`), if it says one is."""
    if found := NO_MODULE.search(stderr):
        return found.group(1)
    if found := NO_NAME.search(stderr):
        return f"{found.group(2)}.{found.group(1)}"
    return None
