"""The sessions of noxfile.py with their docstrings, read without importing nox."""

from __future__ import annotations

import ast
from typing import Any

from . import course
from .markdown_text import cell


def nox_sessions(_: str | None, page: Any) -> str:
    """One row per session: its command, its docstring's first line, whether `./nox` runs it."""
    tree = ast.parse((course.ROOT / "noxfile.py").read_text("utf-8"))
    defaults: list[str] = []
    for node in tree.body:  # nox.options.sessions = [...]
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "nox.options.sessions":
            defaults = list(ast.literal_eval(node.value))
    lines = [
        "| session | what it does | runs with a plain `./nox` |",
        "|---|---|---|",
    ]
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        options = _session_options(node)
        if options is None:
            continue
        name = options.get("name", node.name)
        doc = (ast.get_docstring(node) or "").split("\n")[0]
        lines.append(f"| `./nox -s {name}` | {cell(doc)} | {'yes' if name in defaults else 'no'} |")
    return "\n".join(lines) + "\n"


def _session_options(function: ast.FunctionDef) -> dict[str, Any] | None:
    """The keyword arguments of a function's `@nox.session` decorator, or None."""
    for decorator in function.decorator_list:
        call = decorator if isinstance(decorator, ast.Call) else None
        target = call.func if call else decorator
        if ast.unparse(target) == "nox.session":
            keywords = call.keywords if call else []
            return {k.arg: ast.literal_eval(k.value) for k in keywords if k.arg}
    return None
