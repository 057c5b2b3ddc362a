"""The learner's suite measured by coverage.py with the checker's own settings (stage 5 on).

Coverage is a signal, not a target, and a target a project can lower is no signal: the
checker runs coverage itself, from a configuration of its own that learner programs can
read but not change (`Workspace.own`), so a project's `omit`, `source` or
`# pragma: no cover` cannot lower the bar. It measures branches, the project's package
wherever it is installed, and the subprocesses the tests start (a CLI run in a
subprocess is code the tests reach).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checks.harness.manifest import Manifest
from checks.harness.process import run
from checks.harness.workspace import Workspace

COVERAGE = "coverage==7.18.0"  # pinned: `patch = subprocess` needs 7.10 or later
FROM_STAGE = 5
NEVER = "(?!x)x"  # a pattern no line matches: nothing is excluded from the count
RC = """\
[run]
branch = True
source = {source}
parallel = True
patch = subprocess

[report]
exclude_lines = {never}
"""


@dataclass(frozen=True)
class FileCoverage:
    path: str  # as the learner knows it: src/expense_tracker/services.py
    percent: float
    missing: tuple[int, ...]  # lines never run
    partial: tuple[int, ...]  # lines with a branch never taken

    def ranges(self, limit: int = 6) -> str:
        """The lines missed, as ranges: "42-51, 60"."""
        spans: list[list[int]] = []
        for line in sorted(set(self.missing) | set(self.partial)):
            if spans and line == spans[-1][1] + 1:
                spans[-1][1] = line
            else:
                spans.append([line, line])
        shown = [f"{a}-{b}" if a != b else str(a) for a, b in spans[:limit]]
        return ", ".join(shown) + (" …" if len(spans) > limit else "")


@dataclass(frozen=True)
class Measured:
    percent: float  # branch coverage of the whole package, as coverage.py totals it
    files: tuple[FileCoverage, ...]

    def least_covered(self, count: int = 5) -> list[FileCoverage]:
        return sorted(self.files, key=lambda f: (f.percent, f.path))[:count]

    def to_data(self) -> dict[str, Any]:
        return {"percent": self.percent, "files": [vars(f) for f in self.files]}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Measured:
        files = tuple(
            FileCoverage(f["path"], f["percent"], tuple(f["missing"]), tuple(f["partial"]))
            for f in data["files"]
        )
        return cls(data["percent"], files)


def sources(manifest: Manifest) -> tuple[str, ...]:
    return manifest.quality.source or (manifest.package_name,)


def rcfile(workspace: Workspace, manifest: Manifest) -> Path:
    """The checker's configuration, written once per run where learner code cannot."""
    path = workspace.own / "coveragerc"
    if not path.is_file():
        text = RC.format(source=", ".join(sources(manifest)), never=NEVER)
        partial = path.with_name(".coveragerc")
        partial.write_text(text, "utf-8")
        partial.chmod(0o644)
        partial.rename(path)
    return path


def under_coverage(workspace: Workspace, manifest: Manifest, argv: list[str]) -> list[str]:
    """`python -m coverage run` with the checker's settings, in place of `python`."""
    return [
        str(workspace.python),
        "-m",
        "coverage",
        "run",
        f"--rcfile={rcfile(workspace, manifest)}",
        *argv,
    ]


def measured(
    workspace: Workspace, manifest: Manifest, env: dict[str, str], folder: Path, timeout: float
) -> Measured | None:
    """Combine what the runs measured (COVERAGE_FILE in `env`) and read it; None when
    nothing was measured (a suite that never imported the package)."""
    rc = f"--rcfile={rcfile(workspace, manifest)}"
    python = str(workspace.python)
    run(
        [python, "-m", "coverage", "combine", rc, "-q"],
        cwd=workspace.project,
        env=env,
        timeout=timeout,
    )
    report = folder / "coverage.json"
    made = run(
        [python, "-m", "coverage", "json", rc, "-q", "-o", str(report)],
        cwd=workspace.project,
        env=env,
        timeout=timeout,
    )
    if not made.ok or not report.is_file():
        return None
    return _read(json.loads(report.read_text("utf-8")), workspace)


def _read(document: dict[str, Any], workspace: Workspace) -> Measured:
    files = []
    for path, data in (document.get("files") or {}).items():
        summary = data.get("summary") or {}
        partial = {int(branch[0]) for branch in data.get("missing_branches") or []}
        files.append(
            FileCoverage(
                path=_as_learner_knows(path, workspace),
                percent=float(summary.get("percent_covered", 0.0)),
                missing=tuple(int(n) for n in data.get("missing_lines") or []),
                partial=tuple(sorted(partial)),
            )
        )
    percent = float((document.get("totals") or {}).get("percent_covered", 0.0))
    return Measured(percent, tuple(files))


def _as_learner_knows(path: str, workspace: Workspace) -> str:
    """An installed module's path, as the file in the learner's project it was built from;
    a module imported from the project's copy itself (tests that put src/ on sys.path),
    as its path in the project: both runs of one file must carry the same name."""
    inside = path.split("/site-packages/", 1)[-1]
    if Path(inside).is_relative_to(workspace.project):
        inside = str(Path(inside).relative_to(workspace.project))
    for root in ("src", ""):
        candidate = Path(root, inside)
        if (workspace.pristine / candidate).is_file():
            return str(candidate)
    return inside
