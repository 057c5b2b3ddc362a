"""Drive the learner's console command the way the manifest says, and keep a transcript.

The transcript becomes the "try" block of a failure: the exact commands, in order, that a
learner can paste into a shell to see the problem for themselves.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import replace
from pathlib import Path
from typing import Any

from checks.harness.failure import (
    CheckFailed,
    a,
    clip,
    command_line,
    outcome,
    require_success,
)
from checks.harness.manifest import Manifest
from checks.harness.process import Completed, run
from checks.harness.storage import Storage
from checks.harness.transcript import Transcript
from checks.harness.values import same_value
from checks.harness.workspace import Workspace


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
    def command(self) -> str:
        return self.manifest.cli.command

    @property
    def executable(self) -> Path:
        return self.workspace.bin / self.command

    def run(self, args: list[str]) -> Completed:
        argv = [self.command, *args]
        self.transcript.append(argv)
        self.shared_transcript.set_up(self.storage.setup_line())
        self.shared_transcript.add(shlex.join(argv))
        if not self.executable.exists():
            raise CheckFailed(
                f"the command `{self.command}` was not installed by your project",
                ran=command_line(argv),
                got=f"no `{self.command}` in the environment after installing your project",
                expected=f"pyproject.toml to declare it under [project.scripts], for example "
                f'{self.command} = "your_package.cli:main"',
            )
        result = run(
            [str(self.executable), *args],
            cwd=self.workspace.project,
            env=self.workspace.env(**self.storage.env()),
            timeout=self.timeout,
        )
        return replace(result, argv=tuple(argv))  # report the command as the learner types it

    # The manifest's actions ------------------------------------------------------------

    def add(self, record: dict[str, str]) -> Completed:
        return self.run(fill(self.manifest.cli.add, record))

    def add_ok(self, record: dict[str, str]) -> None:
        require_success(
            self.add(record),
            f"adding {a(self.manifest.record)}",
            fix="make `add` work first: it must accept the arguments of cli.add in your "
            "manifest, save the record and exit with code 0 (see 01-cli/add-then-list)",
        )

    def show(self, record_id: Any) -> Completed:
        return self.run(fill(self.manifest.cli.show, {"id": str(record_id)}))

    def delete(self, record_id: Any) -> Completed:
        return self.run(fill(self.manifest.cli.delete, {"id": str(record_id)}))

    def listing(self) -> list[dict[str, Any]]:
        """Run `list` and return its records, failing clearly if it is not a JSON array."""
        result = self.run(list(self.manifest.cli.list))
        require_success(
            result,
            f"listing {self.manifest.record} records",
            fix="make `list` work first: it must print every record as a JSON array and "
            "exit with code 0 (see 01-cli/list-json)",
        )
        records = self.json_output(
            result, 'a JSON array of objects, for example [] or [{"id": 1, ...}]'
        )
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise CheckFailed(
                "the listing is JSON, but not an array of objects",
                ran=command_line(result.argv),
                got=outcome(result),
                expected='a JSON array of objects, for example [{"id": 1, ...}]',
            )
        return records

    def json_output(self, result: Completed, expected: str) -> Any:
        try:
            return json.loads(result.stdout)
        except json.JSONDecodeError as error:
            raise CheckFailed(
                "the output is not valid JSON",
                ran=command_line(result.argv),
                got=f"{outcome(result)} (JSON error: {error.msg} at line {error.lineno}, "
                f"column {error.colno})",
                expected=f"{expected}, and nothing else on stdout",
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
            got=_short_json(records),
            expected=f"a record with {describe_record(record)}",
        )

    def id_of(self, record: dict[str, Any]) -> Any:
        id_field = self.manifest.id_field
        if id_field not in record:
            raise CheckFailed(
                f"a listed {self.manifest.record} has no `{id_field}` key",
                got=_short_json(record),
                expected=f'every record to carry its id as "{id_field}" (the manifest key '
                "id_field names it)",
            )
        return record[id_field]


def describe_record(record: dict[str, str]) -> str:
    return ", ".join(f"{name}={value!r}" for name, value in record.items())


def _short_json(value: Any) -> str:
    return clip(json.dumps(value, ensure_ascii=False))
