"""Layer rules as import-linter contracts, generated from the learner's manifest.

The learner never writes these: the manifest says where each layer lives and the checker
writes the contracts, runs import-linter in the learner's environment and reports the
offending import lines.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from checks.harness.failure import CheckFailed, outcome
from checks.harness.process import Completed, run
from checks.harness.workspace import Workspace

IMPORT_LINTER = "import-linter==2.16"
# import-linter prints through rich, which wraps at 80 columns off a terminal and would
# split a long `-   pkg.cli -> sqlalchemy (l.12)` line in two.
REPORT_COLUMNS = "1000"

# One offending import in import-linter's report: `-   pkg.cli -> sqlalchemy (l.12, l.13)`
# (`l.?` when it could not tell the line). Everything else it prints is ignored.
BROKEN_IMPORT = re.compile(
    r"^-[ \t]+(?P<importer>[\w.]+) -> (?P<imported>[\w.]+)"
    r" \((?P<lines>l\.[\d?]+(?:, l\.[\d?]+)*)\)",
    re.MULTILINE,
)
# The title import-linter prints first: lines of box-drawing art, no letters.
BANNER = re.compile(r"\A(?:[^\w\n]*\n)+")

# Run by the learner's Python: for each module, the package grimp must start from to see it.
# grimp does not enter a folder without __init__.py that sits inside a regular package, so
# a module below such a namespace folder needs that folder as a root package of its own.
# It looks for folders the way the import system does, without running the learner's code.
ROOTS_PROBE = """
import json, os, sys

def package(locations, name):
    portions = []
    for entry in locations:
        folder = os.path.join(entry or ".", name)
        if os.path.isfile(os.path.join(folder, "__init__.py")):
            return True, [folder]
        if os.path.isfile(folder + ".py"):
            return None
        if os.path.isdir(folder):
            portions.append(folder)
    return (False, portions) if portions else None

def root(module):
    parts = module.split(".")
    found, locations, in_regular = parts[0], sys.path, False
    for depth, part in enumerate(parts, start=1):
        step = package(locations, part)
        if step is None:
            break  # missing: import-linter will say so in its own words
        regular, locations = step
        if in_regular and not regular:
            found = ".".join(parts[:depth])
        in_regular = in_regular or regular
    return found

print(json.dumps([root(module) for module in sys.argv[1:]]))
"""


@dataclass(frozen=True)
class Contract:
    """A forbidden-import rule: `sources` may not directly import `forbidden`."""

    name: str
    sources: tuple[str, ...]
    forbidden: tuple[str, ...]

    @property
    def own_modules(self) -> tuple[str, ...]:
        """The learner's modules in the rule: the sources, and the forbidden modules in their
        packages or dotted (import-linter names other packages by their top level only, so a
        dotted one, such as another layer, is the learner's)."""
        tops = {module.split(".")[0] for module in self.sources}
        own = [m for m in self.forbidden if "." in m or m.split(".")[0] in tops]
        return (*self.sources, *own)

    def ini(self, roots: Iterable[str] = ()) -> str:
        """The import-linter configuration; `roots` are the packages to analyse, by default
        the top-level packages of the learner's modules."""
        packages = sorted(set(roots) or {m.split(".")[0] for m in self.own_modules})
        return "\n".join(
            [
                "[importlinter]",
                "root_packages =",
                *(f"    {root}" for root in packages),
                # Third-party imports (sqlalchemy, click) are then in the graph, whether or
                # not they are installed: grimp reads the import statements.
                "include_external_packages = True",
                "",
                "[importlinter:contract:rule]",
                f"name = {self.name}",
                "type = forbidden",
                "source_modules =",
                *(f"    {module}" for module in self.sources),
                "forbidden_modules =",
                *(f"    {module}" for module in self.forbidden),
                # Direct imports only: a composition root may wire the CLI to SQLAlchemy.
                "allow_indirect_imports = True",
                "",
            ]
        )


def install(workspace: Workspace) -> None:
    result = workspace.install_packages(IMPORT_LINTER)
    if not result.ok:
        raise CheckFailed("import-linter did not install", got=outcome(result))


def enforce(workspace: Workspace, contract: Contract) -> None:
    """Fail with the offending imports unless the contract holds."""
    config = workspace.scratch("contracts") / "importlinter.ini"
    config.write_text(contract.ini(root_packages(workspace, contract.own_modules)), "utf-8")
    result = run(
        [str(workspace.bin / "lint-imports"), "--config", str(config), "--no-cache"],
        cwd=workspace.project,
        env=workspace.env(COLUMNS=REPORT_COLUMNS),
        timeout=120,
    )
    if result.ok:
        return
    broken = broken_imports(result.stdout)
    if not broken:  # import-linter itself could not run: show what it said
        raise CheckFailed(
            "import-linter could not analyse your package",
            ran="lint-imports (with a contract generated from [tool.roadmap.layers])",
            got=outcome(without_banner(result)),
            expected="every module named in [tool.roadmap.layers] to be one your package has",
            fix="read what import-linter said above; if it names a module that does not "
            "exist, correct that module in [tool.roadmap.layers] of pyproject.toml, written "
            "the way you import it (for example expense_tracker.cli)",
        )
    raise CheckFailed(
        contract.name[0].lower() + contract.name[1:] + " — but some do",
        ran="lint-imports (with a contract generated from [tool.roadmap.layers])",
        got="\n".join(broken),
        expected=f"no direct import of {', '.join(contract.forbidden)} from "
        f"{', '.join(contract.sources)}",
    )


def root_packages(workspace: Workspace, modules: Iterable[str]) -> list[str]:
    """The packages import-linter must analyse to see `modules`, as the learner's Python
    finds them; their top-level packages if it cannot tell (import-linter then says why)."""
    modules = list(modules)
    result = run(
        [str(workspace.bin / "python"), "-c", ROOTS_PROBE, *modules],
        cwd=workspace.project,  # where lint-imports runs, and puts first on sys.path
        env=workspace.env(),
        timeout=60,
    )
    with contextlib.suppress(ValueError):
        found = json.loads(result.stdout) if result.ok else None
        if isinstance(found, list) and all(isinstance(root, str) for root in found):
            return sorted(set(found))
    return sorted({module.split(".")[0] for module in modules})


def broken_imports(report: str) -> list[str]:
    """The offending imports of import-linter's report, one plain sentence each."""
    found = []
    for match in BROKEN_IMPORT.finditer(report):
        lines = re.findall(r"l\.(\d+)", match["lines"])
        where = f" at line{'s' if len(lines) > 1 else ''} {', '.join(lines)}" if lines else ""
        found.append(f"`{match['importer']}` imports `{match['imported']}`{where}")
    return found


def without_banner(result: Completed) -> Completed:
    """The run with import-linter's title art cut, so a short report shows its message."""
    return dataclasses.replace(result, stdout=BANNER.sub("", result.stdout))
