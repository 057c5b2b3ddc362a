"""ruff on the learner's code (stage 5 on): under their configuration, and the checker's.

ruff is the checker's own pinned tool: it reads the learner's files and configuration
(which cannot run code) from the pristine copy, with no cache, so it runs as the checker,
outside the learner's containment, and writes nothing.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from checks.harness.process import Completed, run
from checks.harness.workspace import Workspace

BASELINE = "E,F,I,B"  # what an empty configuration checks (E, F), with imports and bugbear
TIMEOUT = 120.0


def ruff_binary() -> str:
    try:
        from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]

        return str(find_ruff_bin())
    except (ImportError, FileNotFoundError):
        found = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
        if found is None:
            raise RuntimeError("ruff is not installed beside the checker") from None
        return found


def ruff(workspace: Workspace, *args: str) -> Completed:
    """`ruff check` in the pristine copy, with `args` (the learner's config unless they
    say otherwise), as the learner would type it."""
    argv = ["check", "--no-cache", "--output-format", "concise", *args, "."]
    env = {"PATH": os.defpath, "NO_COLOR": "1", "HOME": str(workspace.own)}
    done = run(
        [ruff_binary(), *argv], cwd=workspace.pristine, env=env, timeout=TIMEOUT, learner=False
    )
    return Completed(
        ("ruff", *argv),
        done.exit_code,
        done.stdout,
        done.stderr,
        done.timed_out,
        done.flooded,
        done.seconds,
    )


def own_config(workspace: Workspace) -> Completed:
    return ruff(workspace)


# With these, the learner's own settings (line length, excluded folders, target version)
# still hold, but none of their ignores: what the advisory check shows them.
NO_IGNORES = ("--config", "lint.ignore = []", "--config", "lint.per-file-ignores = {}")


def baseline(workspace: Workspace, ignores: bool = True) -> Completed:
    """The checker's rules on the learner's code, under their configuration: with their
    ignores, or (`ignores=False`) without any of them."""
    return ruff(workspace, *([] if ignores else NO_IGNORES), "--select", BASELINE)
