"""Materialize the reference project at the end of stage N.

reference N = the rendered starter (default preset) + the overlays of stages 1…N, with the
removals each stage declares in `removed.txt`. Each stage lands as its own commit, so the
reference has the history a learner's repository should have.

    python -m checks.course.reference N DEST
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from checks.course.paths import TEMPLATE, CourseError, require_checkout, stage_dir
from checks.harness.catalog import STAGES, Stage

START = dt.datetime(2026, 1, 5, 19, 30, tzinfo=dt.UTC)  # when the reference learner began
GIT_IDENTITY = ["-c", "user.name=Backend Roadmap", "-c", "user.email=course@example.com"]


def render_starter(dest: Path, *extra_context: str) -> Path:
    """Generate a starter repository with the real cookiecutter CLI; return its folder."""
    require_checkout()
    if dest.exists() and any(dest.iterdir()):
        raise CourseError(f"{dest} already exists and is not empty; choose a new folder")
    with tempfile.TemporaryDirectory(prefix="roadmap-render-") as out:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "cookiecutter",
                str(TEMPLATE),
                "--no-input",
                "-o",
                out,
                *extra_context,
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        (rendered,) = Path(out).iterdir()
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.exists():
            dest.rmdir()
        shutil.move(rendered, dest)
    return dest


def materialize(stage_number: int, dest: Path) -> Path:
    """Write the complete reference project at the end of `stage_number` into `dest`."""
    # Any stage with an overlay: a reference is written before its stage's checks are (the
    # proof, tests/stages, still waits for both: finished_stages).
    written = {n for n, stage in STAGES.items() if (stage_dir(stage) / "reference").is_dir()}
    if stage_number not in written:
        raise CourseError(
            f"there is no reference for stage {stage_number}; "
            f"references exist for stages {', '.join(map(str, sorted(written)))}"
        )
    project = render_starter(dest)
    # The starter's first commit comes first in the learner's story too.
    _git(
        project,
        *GIT_IDENTITY,
        "commit",
        "--quiet",
        "--amend",
        "--no-edit",
        f"--date={START.isoformat()}",
        env={"GIT_COMMITTER_DATE": START.isoformat()},
    )
    for number in range(1, stage_number + 1):
        _apply_overlay(STAGES[number], project)
    return project


def _apply_overlay(stage: Stage, project: Path) -> None:
    folder = stage_dir(stage)
    removed = folder / "removed.txt"
    if removed.is_file():
        for line in removed.read_text("utf-8").splitlines():
            path = line.split("#", 1)[0].strip()
            if path:
                target = project / path
                shutil.rmtree(target) if target.is_dir() else target.unlink(missing_ok=True)
    shutil.copytree(folder / "reference", project, dirs_exist_ok=True)
    message = f"Complete stage {stage.slug}: {stage.title.lower()}"
    _git(project, "add", "--all")
    # A stage takes about a month: date each commit like the history a learner would have.
    when = (START + dt.timedelta(weeks=4 * stage.number)).isoformat()
    _git(
        project,
        *GIT_IDENTITY,
        "commit",
        "--quiet",
        f"--date={when}",
        "-m",
        message,
        env={"GIT_COMMITTER_DATE": when},
    )


def _git(project: Path, *args: str, env: dict[str, str] | None = None) -> None:
    if (project / ".git").is_dir():  # the starter has git history only where git exists
        subprocess.run(
            ["git", *args],
            cwd=project,
            check=True,
            stdout=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
        )


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or not args[0].isdigit():
        print(
            "usage: nox -s reference -- STAGE DEST   (for example: 1 build/reference)",
            file=sys.stderr,
        )
        return 2
    try:
        project = materialize(int(args[0]), Path(args[1]).resolve())
    except CourseError as error:
        print(f"reference: {error}", file=sys.stderr)
        return 2
    print(f"The stage-{args[0]} reference project is in {project}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
