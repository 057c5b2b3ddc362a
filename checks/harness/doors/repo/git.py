"""Read the learner's git history in the pristine copy, which learner code cannot rewrite
(the original is never touched)."""

from __future__ import annotations

from checks.harness.failure import CheckFailed
from checks.harness.process import Completed, run
from checks.harness.workspace import Workspace


def git(workspace: Workspace, *args: str) -> Completed:
    env = workspace.env(GIT_CONFIG_NOSYSTEM="1", GIT_TERMINAL_PROMPT="0")
    # The copy belongs to the checker, git runs as the learner's user: trust the folder.
    trusted = ["-c", f"safe.directory={workspace.repository}"]
    return run(["git", *trusted, *args], cwd=workspace.pristine, env=env, timeout=60)


def require_repository(workspace: Workspace) -> None:
    if not (workspace.repository / ".git").exists():
        raise CheckFailed(
            "your project is not a git repository",
            expected="a .git folder at the root of the project",
            fix="run `git init`, then commit your work: `git add -A && git commit -m "
            '"Describe what this commit does"`',
        )


def subjects(workspace: Workspace) -> list[str]:
    """Commit subjects (first lines), newest first."""
    require_repository(workspace)
    result = git(workspace, "log", "--format=%s")
    if not result.ok:
        raise CheckFailed("`git log` failed in your repository", got=result.stderr.strip())
    return [line for line in result.stdout.splitlines() if line.strip()]


def tracked_files(workspace: Workspace) -> list[str]:
    require_repository(workspace)
    return git(workspace, "ls-files").stdout.splitlines()


def ignored(workspace: Workspace, paths: list[str]) -> set[str]:
    """Which of `paths` git would ignore (they need not exist)."""
    require_repository(workspace)
    result = git(workspace, "check-ignore", "--no-index", *paths)
    return set(result.stdout.splitlines())
