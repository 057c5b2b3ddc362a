"""Layer rules as import-linter contracts, generated from the learner's manifest.

The learner never writes these: the manifest says where each layer lives and the checker
writes the contracts, runs import-linter in the learner's environment and reports the
offending import lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from checks.harness.failure import CheckFailed, outcome
from checks.harness.process import Completed, run
from checks.harness.workspace import Workspace

IMPORT_LINTER = "import-linter==2.16"


@dataclass(frozen=True)
class Contract:
    """A forbidden-import rule: `sources` may not directly import `forbidden`."""

    name: str
    sources: tuple[str, ...]
    forbidden: tuple[str, ...]

    def ini(self) -> str:
        roots = sorted({module.split(".")[0] for module in self.sources})
        return "\n".join(
            [
                "[importlinter]",
                "root_packages =",
                *(f"    {root}" for root in roots),
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
    config.write_text(contract.ini(), encoding="utf-8")
    result = run(
        [str(workspace.bin / "lint-imports"), "--config", str(config), "--no-cache"],
        cwd=workspace.project,
        env=workspace.env(),
        timeout=120,
    )
    if result.ok:
        return
    broken = _broken_imports(result)
    if not broken:  # import-linter itself could not run: show why
        raise CheckFailed(
            "import-linter could not analyse your package",
            ran="lint-imports",
            got=outcome(result),
            expected="the modules named in [tool.roadmap.layers] to exist in your package",
        )
    raise CheckFailed(
        contract.name[0].lower() + contract.name[1:] + " — but some do",
        ran="lint-imports (with a contract generated from [tool.roadmap.layers])",
        got="\n".join(broken),
        expected=f"no direct import of {', '.join(contract.forbidden)} from "
        f"{', '.join(contract.sources)}",
    )


def _broken_imports(result: Completed) -> list[str]:
    """The `module -> module (l.N)` lines of import-linter's report."""
    return [m.group(1) for m in re.finditer(r"^-\s+(\S+ -> \S+ \(l\.\d+\))", result.stdout, re.M)]
