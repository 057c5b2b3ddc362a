"""Git as engineers use it: a real history, nothing that should not be shared."""

import re

from checks.harness.catalog import check
from checks.harness.doors.repo import git
from checks.harness.failure import CheckFailed
from checks.harness.workspace import Workspace

MIN_COMMITS = 3
JUNK = [
    (re.compile(r"(^|/)(\.?venv|env)/"), "a virtual environment"),
    (re.compile(r"(^|/)pyvenv\.cfg$"), "a virtual environment"),
    (re.compile(r"\.(db|sqlite|sqlite3)$"), "a database file"),
    (re.compile(r"(^|/)\.env(\.[\w.-]+)?$"), "an .env file (secrets)"),
    (re.compile(r"(^|/)__pycache__/|\.py[co]$"), "Python bytecode"),
    (re.compile(r"(^|/)\.(pytest|mypy|ruff)_cache/"), "a tool cache"),
]
TEMPLATES = re.compile(r"\.env\.(example|sample|template)$")  # meant to be shared
MUST_IGNORE = [".venv/", ".env", "data.db", "__pycache__/module.cpython-311.pyc"]
VAGUE = {
    "fix",
    "fixes",
    "fixed",
    "update",
    "updates",
    "wip",
    "changes",
    "change",
    "stuff",
    "misc",
    "tmp",
    "test",
    "commit",
    "save",
    "asdf",
    ".",
}


@check("git-history")
def check_git_history(workspace: Workspace) -> None:
    """Your repository has a history: at least 3 commits.

    Why: small commits are how reviewers follow your work and how you undo a mistake. A
    single "initial commit" holding a finished project tells an employer nothing.

    Fix: commit each step that works, with a message saying what changed and why:
    `git add -p` to choose what goes in, then `git commit`.
    """
    subjects = git.subjects(workspace)
    if len(subjects) < MIN_COMMITS:
        raise CheckFailed(
            f"your repository has {len(subjects)} commit(s)",
            ran="git log --oneline",
            got="\n".join(subjects) or "no commits",
            expected=f"at least {MIN_COMMITS} commits",
        )


@check("nothing-junk-committed")
def check_nothing_junk_committed(workspace: Workspace) -> None:
    """No virtualenv, database, `.env` file or cache is committed.

    Why: a committed .env leaks secrets to everyone who can read the repo, forever (it
    stays in the history). Environments, databases and caches bloat every clone and break
    on other machines.

    Fix: `git rm -r --cached PATH` for each file listed, add it to .gitignore, commit. If
    a secret was committed, change the secret: removing the file does not remove it from
    history.
    """
    tracked = git.tracked_files(workspace)
    found = [
        f"{path} ({what})"
        for path in tracked
        for pattern, what in JUNK
        if pattern.search(path) and not TEMPLATES.search(path)
    ]
    if found:
        raise CheckFailed(
            "files that should never be committed are tracked by git",
            ran="git ls-files",
            got="\n".join(sorted(set(found))[:10]),
            expected="none of: virtualenvs, *.db / *.sqlite3, .env, __pycache__, tool caches",
        )


@check("gitignore-covers")
def check_gitignore_covers(workspace: Workspace) -> None:
    """Your `.gitignore` keeps environments, `.env`, databases and bytecode out.

    Why: .gitignore is what stops the next `git add -A` from committing a secret or a
    200 MB virtualenv. It protects you on your worst day, not your best.

    Fix: add these lines to .gitignore: `.venv/`, `.env`, `*.db`, `__pycache__/`.
    """
    missing = [path for path in MUST_IGNORE if path not in git.ignored(workspace, MUST_IGNORE)]
    if missing:
        raise CheckFailed(
            "git would not ignore " + ", ".join(missing),
            ran="git check-ignore --no-index " + " ".join(MUST_IGNORE),
            got="ignored: " + (", ".join(p for p in MUST_IGNORE if p not in missing) or "none"),
            expected="all of them ignored",
        )


@check("commit-messages", advisory=True)
def check_commit_messages(workspace: Workspace) -> None:
    """Your commit messages say what changed: three words or more, not "fix" or "wip".

    Why: `git log` is the story of your project; "fix" tells a reviewer (or you in six
    months) nothing. This check is advisory: judging prose by rule is crude, and your
    mentor will talk about messages with you.

    Fix: write the subject as an instruction that completes "This commit will …":
    "{good_commit}". Rename a recent one with
    `git commit --amend` before you push.
    """
    vague = [s for s in git.subjects(workspace) if _vague(s)]
    if vague:
        raise CheckFailed(
            f"{len(vague)} commit message(s) do not say what changed",
            ran="git log --format=%s",
            got="\n".join(f'"{s}"' for s in vague[:8]),
            expected="subjects of three words or more that name the change",
        )


def _vague(subject: str) -> bool:
    words = subject.strip().split()
    return len(words) < 3 or subject.strip().lower().rstrip(".!") in VAGUE
