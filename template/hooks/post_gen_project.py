"""Make the new project a git repository with a first commit, then say what to do next.

The checker reads the learner's git history from stage 2 on, so it should start at
the very first file. Generation must still succeed without git (or when git fails): the
files are all there, and a note says how to finish by hand. Either way the learner gets
the next three commands and where the stage-1 brief is. Only the standard library.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

PROJECT_NAME = {{ cookiecutter.project_name | tojson }}
AUTHOR_NAME = {{ cookiecutter.author_name | tojson }}
AUTHOR_EMAIL = {{ cookiecutter.author_email | tojson }}
ROADMAP_REPO_URL = {{ cookiecutter.__roadmap_repo_url | tojson }}
MESSAGE = f"Start {PROJECT_NAME} from the Backend Roadmap template"
BY_HAND = f'git init && git add --all && git commit -m "{MESSAGE}"'

# The course site (site_url in the course's mkdocs.yml) and the brief's file in the course repo.
SITE_URL = "https://backend-roadmap.github.io/backend-roadmap/"
BRIEF_PAGE = "stages/01-cli/"
BRIEF_FILE = "stages/01-cli/README.md"


def git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], capture_output=True, text=True, timeout=60, check=False)


def identity_options() -> list[str]:
    """`-c` options for the identity settings git lacks, so a fresh machine can commit.

    Settings the user already has win: we only fill the gaps, and only for this commit.
    """
    options = []
    for key, value in (("user.name", AUTHOR_NAME), ("user.email", AUTHOR_EMAIL)):
        if not git("config", "--get", key).stdout.strip():
            options += ["-c", f"{key}={value}"]
    return options


class GitError(Exception):
    """A git command failed; the message is what git said."""


def run_git(*args: str) -> None:
    result = git(*args)
    if result.returncode != 0:
        raise GitError(result.stderr.strip() or result.stdout.strip())


def make_first_commit() -> str:
    """Make the repository and its first commit; return what happened, in one sentence."""
    if shutil.which("git") is None:
        return (
            "Note: git is not installed, so this is not a git repository yet. "
            f"Install git, then run: {BY_HAND}"
        )
    try:
        # init.defaultBranch names the first branch "main" and silences git's hint about it.
        run_git("-c", "init.defaultBranch=main", "init", "--quiet")
        run_git("add", "--all")
        run_git(*identity_options(), "commit", "--quiet", "-m", MESSAGE)
    except (OSError, subprocess.SubprocessError, GitError) as error:
        return (
            f"Note: your files are ready, but git could not make the first commit: {error}\n"
            f"Fix that, then run: {BY_HAND}"
        )
    return f'Made a git repository with a first commit: "{MESSAGE}"'


def folder_to_enter(project: Path) -> str:
    """The project folder as the learner's shell reaches it: relative when that is short.

    Cookiecutter runs this hook inside the new folder; $PWD is still the folder the learner
    ran cookiecutter from (the shell sets it, and changing directory in Python does not).
    """
    start = os.environ.get("PWD", "")
    folder = str(project)
    if os.path.isabs(start):
        try:
            relative = os.path.relpath(project, start)
        except ValueError:  # Windows: another drive
            relative = ""
        parts = Path(relative).parts
        if relative and parts.count("..") <= 1 and parts[1:].count("..") == 0:
            folder = relative  # inside that folder, or next to it (`-o ..`)
    if os.name == "nt":  # cmd and PowerShell both read double quotes, not POSIX quoting
        return f'"{folder}"' if " " in folder else folder
    return shlex.quote(folder)


def next_steps(project: Path) -> str:
    """The three commands a learner runs next, and where the stage-1 brief is."""
    return f"""
Your project is ready. Next, run these three commands:

  cd {folder_to_enter(project)}
  uv run pytest
  uvx --from git+{ROADMAP_REPO_URL} roadmap-check .

They enter your project, run its tests (they pass from the start), and run the course's
checker, which lists what stage 1 still needs: at first, nearly everything. The last two
need uv: https://docs.astral.sh/uv/ (README.md also shows the tests with pip).

Then read the stage-1 brief. It walks you through building what the checker asks for:
  {SITE_URL}{BRIEF_PAGE}
  (or {BRIEF_FILE} in {ROADMAP_REPO_URL})"""


def main() -> int:
    print(make_first_commit())
    print(next_steps(Path.cwd()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
