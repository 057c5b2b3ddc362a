"""How the code is organised: read as text, never imported."""

import ast
from pathlib import Path

from checks.harness.catalog import check
from checks.harness.doors.cli.fixtures import NO_CLI
from checks.harness.failure import CheckFailed, NotApplicable
from checks.harness.manifest import Manifest
from checks.harness.workspace import Workspace

MAX_LINES = 300
FILE_IO = {"open", "read_text", "write_text", "read_bytes", "write_bytes", "dump", "load"}


@check("code-organization", advisory=True)
def check_code_organization(workspace: Workspace, manifest: Manifest) -> None:
    """Your code is split into modules with one job each; the command does no file I/O.

    Why: a 600-line cli.py works today and fights you in stage 2, when storage moves to a
    database. Keeping parsing, rules and storage apart is what makes that move small.

    Fix: keep cli.py to parsing arguments and printing; put the record model in models.py,
    reading and writing the file in storage.py, and the summary in its own module. Keep
    every module under 300 lines.
    """
    if manifest.cli is None:
        raise NotApplicable(NO_CLI)
    project, command = workspace.pristine, manifest.cli.command
    entry = _entry_module(project, manifest.package.scripts.get(command, ""))
    if entry is None:
        raise CheckFailed(
            f"could not find the module behind the `{command}` command",
            expected=f'[project.scripts] {command} = "package.module:function" (or a '
            "console_scripts entry point in setup.cfg or setup.py), with the module under "
            "src/ or the project root",
        )
    package = entry.parent
    modules = [p for p in package.rglob("*.py") if p.name not in ("__init__.py", "__main__.py")]
    problems = []
    if len(modules) < 2:
        problems.append(f"{package.name}/ holds only {len(modules)} module(s) of code")
    for module in modules:
        lines = len(module.read_text("utf-8", errors="replace").splitlines())
        if lines > MAX_LINES:
            problems.append(f"{module.relative_to(project)} has {lines} lines")
    io_calls = _file_io_calls(entry)
    if io_calls:
        problems.append(f"{entry.relative_to(project)} does file I/O ({', '.join(io_calls)})")
    if problems:
        raise CheckFailed(
            "; ".join(problems),
            expected=f"2 or more modules, none over {MAX_LINES} lines, and the command's "
            "module leaving file I/O to a storage module",
        )


def _entry_module(project: Path, target: str) -> Path | None:
    module = target.split(":")[0].strip()
    if not module:
        return None
    relative = Path(*module.split("."))
    for root in (project / "src", project):
        for candidate in (root / relative.with_suffix(".py"), root / relative / "__init__.py"):
            if candidate.is_file():
                return candidate
    return None


def _file_io_calls(module: Path) -> list[str]:
    try:
        tree = ast.parse(module.read_text("utf-8", errors="replace"))
    except SyntaxError:
        return []
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name in FILE_IO:
                found.add(f"{name}()")
    return sorted(found)
