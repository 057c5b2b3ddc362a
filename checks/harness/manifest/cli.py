"""`[tool.roadmap.cli]`: the console command and the arguments of each action."""

from __future__ import annotations

from dataclasses import dataclass

from checks.harness.manifest.table import EXAMPLES, Table

ACTIONS = ("add", "list", "show", "delete", "summary")

EXAMPLES |= {
    "command": 'command = "expense-tracker"',
    "data_env": 'data_env = "DATA_FILE"',
    "add": 'add = ["add", "--amount", "{amount}", "--category", "{category}"]',
    "list": 'list = ["list", "--json"]',
    "show": 'show = ["show", "{id}", "--json"]',
    "delete": 'delete = ["delete", "{id}"]',
    "summary": 'summary = ["summary", "--json"]',
}


@dataclass(frozen=True)
class Cli:
    command: str
    data_env: str
    add: tuple[str, ...]
    list: tuple[str, ...]
    show: tuple[str, ...]
    delete: tuple[str, ...]
    summary: tuple[str, ...]


def read(table: Table) -> Cli:
    args = {action: tuple(table.get(action, list)) for action in ACTIONS}
    for action in ("show", "delete"):
        if not any("{id}" in arg for arg in args[action]):
            raise table.fail(action, "must contain the placeholder {id}")
    return Cli(
        command=table.get("command", str),
        data_env=table.get("data_env", str, default="DATA_FILE"),
        **args,
    )
