"""The checker's own pinned tools over the learner's deployment files: hadolint,
check-jsonschema and zizmor.

Each is a dependency of the checker (pyproject.toml), installed with it as a wheel (a
static binary, or Python): the learner installs nothing. They only read the learner's
files, with no network (zizmor `--offline`, the schemas vendored in check-jsonschema) and
with none of the learner's configuration (no `.hadolint.yaml`, no inline ignore pragmas,
no `zizmor.yml`: the rules are the course's), so they run as the checker, like ruff.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from checks.harness.process import Completed, run

TIMEOUT = 60.0
# hadolint's rules the brief makes errors: root as the last user, an untagged or `latest`
# base, ADD for local files, shell-form CMD/ENTRYPOINT, sudo, a relative WORKDIR, a pipe
# without pipefail.
PROMOTED = ("DL3002", "DL3006", "DL3007", "DL3020", "DL3025", "DL3004", "DL3000", "DL4006")
# Pinning every apt, apk, pip, npm or gem package: a trade-off the brief leaves to the
# learner (reproducible builds against security updates), not a failure.
TRADE_OFFS = ("DL3008", "DL3013", "DL3016", "DL3018", "DL3028", "DL3033", "DL3037", "DL3041")
COMPOSE_SCHEMA = "vendor.compose-spec"
WORKFLOW_SCHEMA = "vendor.github-workflows"


class ToolMissing(RuntimeError):
    """A tool the checker depends on is not installed beside it: the checker's bug."""


def binary(name: str) -> str:
    """A console script installed with the checker (its venv's bin first)."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        raise ToolMissing(f"{name} is not installed beside the checker; reinstall the checker")
    return found


def _run(argv: list[str], cwd: Path, home: Path) -> Completed:
    env = {"PATH": os.defpath, "NO_COLOR": "1", "HOME": str(home), "LANG": "C.UTF-8"}
    env["XDG_CONFIG_HOME"] = str(home)  # an empty folder: no tool finds a config of ours
    return run(argv, cwd=cwd, env=env, timeout=TIMEOUT, learner=False)


def hadolint(dockerfile: Path, home: Path) -> tuple[Completed, list[dict[str, Any]]]:
    """hadolint's findings on `dockerfile` (JSON), with the course's rules; `home` is an
    empty folder of the checker's, where it finds no configuration."""
    config = home / "hadolint.yaml"
    config.write_text("failure-threshold: error\n", "utf-8")
    argv = [binary("hadolint"), "--config", str(config), "--no-color", "--no-fail"]
    argv += ["--disable-ignore-pragma", "-f", "json"]
    argv += [arg for rule in PROMOTED for arg in ("--error", rule)]
    argv += [arg for rule in TRADE_OFFS for arg in ("--ignore", rule)]
    done = _run([*argv, dockerfile.name], dockerfile.parent, home)
    try:
        findings = json.loads(done.stdout or "[]")
    except ValueError:
        findings = []
    return done, [f for f in findings if isinstance(f, dict)]


def schema_errors(schema: str, document: Path, home: Path) -> tuple[Completed, list[str]]:
    """check-jsonschema's verdict on `document` against a vendored schema: each error as
    "where: what" (parse errors included); none when it is valid."""
    argv = [binary("check-jsonschema"), "--builtin-schema", schema, "-o", "json"]
    done = _run([*argv, document.name], document.parent, home)
    try:
        report = json.loads(done.stdout)
    except ValueError:
        return done, [] if done.ok else [done.stderr.strip() or done.stdout.strip()]
    errors = [
        f"{error.get('path', '$')}: {error.get('message', '')}"
        for error in report.get("errors", [])
        if isinstance(error, dict)
    ]
    errors += [str(error.get("message", error)) for error in report.get("parse_errors", [])]
    return done, errors


def zizmor(workflow: Path, home: Path) -> tuple[Completed, list[dict[str, Any]]]:
    """zizmor's findings on `workflow`, offline, with none of the learner's ignores."""
    argv = [binary("zizmor"), "--offline", "--no-config", "--no-ignores", "--no-exit-codes"]
    argv += ["--no-progress", "--format", "json", workflow.name]
    done = _run(argv, workflow.parent, home)
    try:
        findings = json.loads(done.stdout or "[]")
    except ValueError:
        findings = []
    return done, [f for f in findings if isinstance(f, dict)]


def first_line(finding: dict[str, Any]) -> int:
    """The line (from 1) a zizmor finding points at, or 0."""
    for location in finding.get("locations", []):
        try:
            return int(location["concrete"]["location"]["start_point"]["row"]) + 1
        except (KeyError, TypeError, ValueError):
            continue
    return 0
