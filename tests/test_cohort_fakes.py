"""Fakes the cohort tests share (no tests here): small git repos with a known author, and
a stand-in checker that writes the results.json a repo asks for, in milliseconds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

FAKE_CHECKER_SOURCE = """
import json, sys, time
from pathlib import Path

repo = Path(sys.argv[1])
report_dir = Path(sys.argv[sys.argv.index("--report-dir") + 1])
spec = json.loads((repo / "fake.json").read_text())
report_dir.mkdir(parents=True, exist_ok=True)
(report_dir / "argv.json").write_text(json.dumps(sys.argv[1:]))
if "together" in spec:  # wait until that many fake checks are running at once
    meeting = Path(spec["meeting"])
    (meeting / str(repo).replace("/", "_")).touch()
    deadline = time.monotonic() + 30
    while len(list(meeting.iterdir())) < spec["together"]:
        if time.monotonic() > deadline:
            sys.exit(3)
        time.sleep(0.02)
time.sleep(spec.get("sleep", 0))
if "results" in spec:
    (report_dir / "results.json").write_text(json.dumps(spec["results"]))
    (report_dir / "report.md").write_text("# Report\\n")
status = spec.get("results", {}).get("status")
sys.exit(spec.get("exit", {"pass": 0, "fail": 1}.get(status, 2)))
"""


def fake_checker(folder: Path) -> list[str]:
    """The command line of a stand-in for roadmap-check."""
    script = folder / "fake_checker.py"
    script.write_text(FAKE_CHECKER_SOURCE)
    return [sys.executable, str(script)]


def results(
    passing: tuple[str, ...] = (),
    failing: tuple[str, ...] = (),
    stage: int = 1,
    advisory_passing: tuple[str, ...] = (),
    advisory_failing: tuple[str, ...] = (),
) -> dict[str, Any]:
    """A results.json document with these required and advisory checks passing and
    failing (in the shape from before ADR 14: the cohort reads both)."""
    tests = [{"id": c, "status": "pass", "required": True} for c in passing]
    tests += [{"id": c, "status": "fail", "required": True} for c in failing]
    tests += [{"id": c, "status": "pass", "required": False} for c in advisory_passing]
    tests += [{"id": c, "status": "fail", "required": False} for c in advisory_failing]
    status = "fail" if failing else "pass"
    return {"version": 3, "status": status, "stage": stage, "tests": tests}


def unchecked(message: str) -> dict[str, Any]:
    return {"version": 3, "status": "error", "stage": 0, "message": message, "tests": []}


def learner_repo(
    folder: Path,
    author: str = "Ada Lovelace",
    date: str = "2025-03-14T10:00:00+00:00",
    fake: dict[str, Any] | None = None,
) -> Path:
    """A git repo with one commit by `author` on `date`, and what the fake checker says."""
    folder.mkdir(parents=True)
    (folder / "README.md").write_text("# My project\n")
    if fake is not None:
        (folder / "fake.json").write_text(json.dumps(fake))
    git(folder, "init", "--quiet", "--initial-branch=main")
    git(folder, "add", "--all")
    git(folder, "commit", "--quiet", "-m", "Start", author=author, date=date)
    return folder


def git(
    folder: Path, *args: str, author: str = "Ada Lovelace", date: str = "2025-03-14T10:00:00Z"
) -> str:
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,  # the machine's settings must not matter
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": author,
        "GIT_AUTHOR_EMAIL": "learner@example.org",
        "GIT_COMMITTER_NAME": author,
        "GIT_COMMITTER_EMAIL": "learner@example.org",
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
    }
    command = ["git", "-c", "commit.gpgsign=false", "-C", str(folder), *args]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()
