"""Make the new project a git repository with a first commit.

The checker reads the learner's git history from stage 2 on, so it should start at
the very first file. Generation must still succeed without git (or when git fails): the
files are all there, and a note says how to finish by hand. Only the standard library.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

PROJECT_NAME = {{ cookiecutter.project_name | tojson }}
AUTHOR_NAME = {{ cookiecutter.author_name | tojson }}
AUTHOR_EMAIL = {{ cookiecutter.author_email | tojson }}
MESSAGE = f"Start {PROJECT_NAME} from the Backend Roadmap template"
BY_HAND = f'git init && git add --all && git commit -m "{MESSAGE}"'


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


def main() -> int:
    if shutil.which("git") is None:
        print(
            "Note: git is not installed, so this is not a git repository yet. "
            f"Install git, then run: {BY_HAND}"
        )
        return 0
    try:
        # init.defaultBranch names the first branch "main" and silences git's hint about it.
        run_git("-c", "init.defaultBranch=main", "init", "--quiet")
        run_git("add", "--all")
        run_git(*identity_options(), "commit", "--quiet", "-m", MESSAGE)
    except (OSError, subprocess.SubprocessError, GitError) as error:
        print(
            f"Note: your files are ready, but git could not make the first commit: {error}\n"
            f"Fix that, then run: {BY_HAND}"
        )
        return 0
    print(f'Made a git repository with a first commit: "{MESSAGE}"')
    return 0


if __name__ == "__main__":
    sys.exit(main())
