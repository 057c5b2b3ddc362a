"""No secret anywhere: not in the files, not in any commit of the history."""

from __future__ import annotations

import shutil

from checks.harness.catalog import check
from checks.harness.doors.deploy import secrets
from checks.harness.doors.repo import git
from checks.harness.failure import CheckFailed, outcome
from checks.harness.workspace import Workspace

TREE = "06-deploy/no-secrets-in-tree"
SHOWN = 10
RAN_TREE = "detect-secrets scan  # the checker's plugins, on every tracked file"


def _tree_findings(workspace: Workspace) -> list[secrets.Finding]:
    return secrets.scan_tree(workspace.pristine, git.tracked_files(workspace))


@check("no-secrets-in-tree")
def check_no_secrets_in_tree(workspace: Workspace) -> None:
    """No committed file holds a key, a token, a private key or a password to a real server.

    Why: a repository is copied to every clone, fork and CI cache, and bots scan public
    ones for keys within minutes of a push. A key that reaches git is a key you must
    revoke; one that never does needs nothing.

    Fix: move the value to an environment variable (read by your settings, listed in
    `.env.example` with a placeholder), delete it from the file, and revoke it where it was
    issued: it is public from the moment it was pushed.
    """
    found = _tree_findings(workspace)
    if found:
        raise CheckFailed(
            f"{len(found)} secret(s) in your committed files",
            ran=RAN_TREE,
            got="\n".join(str(finding) for finding in found[:SHOWN]),
            expected="no credential in any tracked file",
        )


@check("no-secrets-in-history")
def check_no_secrets_in_history(workspace: Workspace) -> None:
    """No commit of your history ever held a secret or a `.env` file, even one deleted later.

    Why: deleting a file does not remove it from git: every earlier commit still holds it,
    and `git log -p` shows it to anyone with a clone. A `.env` committed once, or a key
    removed in the next commit, is as public as one still there.

    Fix: revoke the secret first (a new key, a new password): that is what protects you.
    Then, if nobody else has cloned the repository yet, rewrite the history with
    `git filter-repo --invert-paths --path .env` and force-push; add `.env` to .gitignore.
    """
    git.require_repository(workspace)
    folder = workspace.scratch("history")
    log = folder / "log.patch"
    try:
        done = git.git(workspace, *secrets.LOG_ARGS, f"--output={log}")
        if not done.ok or not log.is_file():
            raise CheckFailed(
                "git could not read your history",
                ran="git log --all -p",
                got=outcome(done),
                expected="every commit of every branch",
            )
        history = secrets.read_log(log.read_text("utf-8", errors="replace"))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    found = secrets.scan_history(history)
    now = {finding.key for finding in _tree_findings(workspace)}
    problems = [
        f".env file {path} committed in {commit[:10]}"
        for path, commit in sorted(secrets.env_files_committed(history).items())
    ]
    problems += [str(finding) for finding in found if finding.key not in now]
    ran = "git log --all -p, then detect-secrets on every line a commit added"
    if problems:
        raise CheckFailed(
            f"your history holds {len(problems)} secret(s) no longer in your files"
            if not any(p.startswith(".env") for p in problems)
            else "your history holds a .env file or secrets",
            ran=ran,
            got="\n".join(problems[:SHOWN]),
            expected="no .env and no credential in any commit",
        )
    if found:  # all of them are still in the files: that check says so first
        raise CheckFailed(
            f"{len(found)} secret(s) in your history, still in your files",
            ran=ran,
            got="\n".join(str(finding) for finding in found[:SHOWN]),
            expected="no credential in any commit",
            step=TREE,
        )
