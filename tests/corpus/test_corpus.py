"""Issue 16's proof: correct projects unlike the reference pass through their manifest alone,
and a twin of each, with one realistic defect planted, fails only the check that names it.

Each project in this folder is a learner's project in a domain, layout and set of libraries
of its own (README.md says what each covers). A test copies it, applies the twin's edits,
gives it a git history, and runs the real checker on it, as a learner would. The twins run
with `--only` (the defect's check, the checks it stands on, and a few neighbours), to keep
the corpus inside its share of the suite's ten minutes.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from checks.course.reference import GIT_IDENTITY
from checks.harness.catalog import all_checks
from tests.conftest import CheckerRun, require_postgres, run_checker, snapshot

pytestmark = pytest.mark.slow

CORPUS = Path(__file__).parent
JUNK = shutil.ignore_patterns("__pycache__", "*.egg-info", ".venv", ".pytest_cache", "build")
Edits = dict[str, list[tuple[str, str]]]  # file → (text, replacement), each found once


# Building a learner's repository --------------------------------------------------------


def repository(name: str, dest: Path, edits: Edits | None = None) -> Path:
    """The corpus project `name` as a git repository in `dest`, after `edits`, committed
    in three steps as a learner would: what it is, the code, then its tests."""
    shutil.copytree(CORPUS / name, dest, ignore=JUNK)
    for file, changes in (edits or {}).items():
        path = dest / file
        text = path.read_text("utf-8")
        for old, new in changes:
            assert text.count(old) == 1, f"{file}: {old!r}"
            text = text.replace(old, new)
        path.write_text(text, "utf-8")
    _git(dest, "init", "--quiet", "--initial-branch=main")
    steps = [
        ("Describe the project and what git ignores", ["README.md", ".gitignore"]),
        ("Write the first working version", [".", ":(glob,exclude)**/tests/**"]),
        ("Cover the rules with tests", ["."]),
    ]
    for message, paths in steps:
        _git(dest, "add", "--all", "--", *paths)
        _git(dest, *GIT_IDENTITY, "commit", "--quiet", "-m", message)
    return dest


def _git(folder: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True)


def only(*check_ids: str) -> list[str]:
    return [arg for check_id in check_ids for arg in ("--only", check_id)]


# What a verdict must be ---------------------------------------------------------------------


def require_correct(run: CheckerRun) -> None:
    """Exit 0 and nothing failed: every check passes or does not apply (advisory included)."""
    wrong = {i: s for i, s in run.statuses().items() if s not in ("pass", "not-applicable")}
    assert (run.exit_code, wrong) == (0, {}), run.stdout + run.stderr


def require_only(run: CheckerRun, defect: str) -> dict[str, str]:
    """The defect's check fails, and every other check passes, does not apply, or is
    blocked by it; the statuses, for what a test asserts besides."""
    statuses = run.statuses()
    blocked_by = {t["id"]: t.get("blocked_by") for t in run.results["tests"]}
    others = {
        check_id: status
        for check_id, status in statuses.items()
        if check_id != defect
        and status not in ("pass", "not-applicable")
        and not (status == "blocked" and blocked_by.get(check_id) == defect)
    }
    assert (statuses.get(defect), others) == ("fail", {}), run.stdout + run.stderr
    assert run.exit_code == 1 and f"Next: fix {defect}" in run.stdout, run.stdout
    return statuses


def entry(run: CheckerRun, check_id: str) -> dict[str, str]:
    """A check's entry in results.json, as a learner's tools read it."""
    return next(t for t in run.results["tests"] if t["id"] == check_id)


# notes: an API-only service at stage 4, in backend/ of its repository ---------------------

ADMIN = "04-auth/admin-from-the-cli"
NO_CLI = {c.id for c in all_checks() if c.stage.number == 1} - {
    "01-cli/installs",
    "01-cli/own-tests-pass",
} | {
    "02-layers/cli-without-sqlalchemy",
    "02-layers/data-in-sqlite",
    "03-api/cli-and-api-share-data",
}
# The admin command's twins: the checks that stand on the login steps and the admin, the
# admin's neighbours, and stage-3 checks that log in (a member, never the admin).
ADMIN_AND_NEIGHBOURS = only(
    "04-auth/migrations-upgrade",
    "04-auth/register-answers-201",
    "04-auth/login-returns-a-bearer-token",
    ADMIN,
    "04-auth/admin-only-route-403",
    "04-auth/admin-sees-all",
    "03-api/server-starts",
    "03-api/create-returns-201",
    "03-api/get-returns-record",
    "03-api/list-includes-record",
)


def test_an_api_only_notes_service_in_a_subfolder_passes_stage_4_through_its_manifest(
    tmp_path,
):
    """No CLI (admin_command makes the admin), psycopg2, the URL in POSTGRES_* parts,
    pydantic-settings with no default secret, e-mail logins in JSON, create and item paths
    of its own, page/per_page paging, a uv.lock: every check passes or does not apply, the
    git checks read the repository around backend/, and nothing of it is written to."""
    require_postgres()
    repo = repository("notes", tmp_path / "notes")
    before = snapshot(repo)
    run = run_checker(repo / "backend", tmp_path / "report")
    require_correct(run)
    not_applicable = {i for i, s in run.statuses().items() if s == "not-applicable"}
    assert not_applicable == NO_CLI, run.stdout  # never "blocked"
    assert run.statuses()["04-auth/no-default-secret"] == "pass"  # pydantic names secret_key
    assert "Dependencies: installed as uv.lock pins them." in run.stdout
    assert snapshot(repo) == before


def test_an_admin_command_that_forgets_to_commit_fails_only_the_admin_check(tmp_path):
    """It exits 0 and its admin cannot log in. The API's checks log in as a member they
    sign up, so they pass; the admin's own checks stand on the admin command."""
    require_postgres()
    repo = repository(
        "notes",
        tmp_path / "notes",
        {
            "backend/notes_api/create_admin.py": [
                ("from notes_api import services", "from notes_api import passwords"),
                (
                    "admin = services.sign_up(store, email, password, is_admin=True)",
                    "admin = store.users.add(email, passwords.hash_password(password), True)",
                ),
            ]
        },
    )
    run = run_checker(repo / "backend", tmp_path / "report", *ADMIN_AND_NEIGHBOURS)
    statuses = require_only(run, ADMIN)
    assert {s for i, s in statuses.items() if i.startswith("03-api/")} == {"pass"}
    assert statuses["04-auth/admin-sees-all"] == "blocked"
    assert "the admin your command made could not log in" in run.message(ADMIN)
    assert "the command in admin_command exited 0" in run.message(ADMIN)


def test_an_admin_command_that_makes_an_ordinary_user_fails_only_the_admin_check(tmp_path):
    """The admin sees nobody else's notes: that is the admin command's failure, and the
    admins' view cannot be judged. The lines to paste export the database's parts."""
    require_postgres()
    edit = ("sign_up(store, email, password, is_admin=True)", "sign_up(store, email, password)")
    repo = repository("notes", tmp_path / "notes", {"backend/notes_api/create_admin.py": [edit]})
    run = run_checker(repo / "backend", tmp_path / "report", *ADMIN_AND_NEIGHBOURS)
    statuses = require_only(run, ADMIN)
    assert statuses["04-auth/admin-sees-all"] == "blocked"
    assert "made a user who is not an admin" in run.message(ADMIN)
    assert "POSTGRES_HOST=" in entry(run, ADMIN)["test_code"]  # the parts it reads


# library: a setuptools project with a click CLI and a login before stage 4 ----------------


def test_a_setuptools_library_with_a_login_before_stage_4_passes_stage_3_through_its_manifest(
    tmp_path,
):
    """setup.py (console_scripts, python_requires), requirements pins that matter (passlib
    needs bcrypt < 5), a click CLI printing with json.dump, SQLALCHEMY_DATABASE_URL, an
    APP_NAME read at import, a factory, PUT, every /books route behind a login, and tests
    in src/tests/ that start the CLI with no HOME. Every check passes: the service tests
    are found where pytest finds them, code-organization judges what cli.py does (not the
    name `dump`), and the learner's user has a passwd entry for Path.home()."""
    repo = repository("library", tmp_path / "library")
    run = run_checker(repo, tmp_path / "report")
    require_correct(run)
    assert "installed from requirements.txt and requirements-dev.txt" in run.stdout


LIST_AND_NEIGHBOURS = only(
    "03-api/server-starts",
    "03-api/create-returns-201",
    "03-api/get-returns-record",
    "03-api/list-includes-record",
    "03-api/list-paginates",
    "03-api/update-changes-only-sent",
    "03-api/cli-and-api-share-data",
    "01-cli/add-then-list",
)


def test_a_listing_that_forgets_the_offset_fails_only_the_paging_check(tmp_path):
    edit = ("services.books(store[0], offset, limit)", "services.books(store[0], limit=limit)")
    repo = repository("library", tmp_path / "library", {"src/library/api/app.py": [edit]})
    run = run_checker(repo, tmp_path / "report", *LIST_AND_NEIGHBOURS)
    require_only(run, "03-api/list-paginates")


def test_stats_that_print_a_python_dict_fail_only_the_summary_with_a_fix_about_counting(
    tmp_path,
):
    edit = ("json.dump(per_shelf, sys.stdout)\n        click.echo()", "click.echo(per_shelf)")
    repo = repository("library", tmp_path / "library", {"src/library/cli.py": [edit]})
    neighbours = only(
        "01-cli/help", "01-cli/add-then-list", "01-cli/list-json", "01-cli/show-by-id"
    )
    run = run_checker(repo, tmp_path / "report", *neighbours, *only("01-cli/summary"))
    require_only(run, "01-cli/summary")
    message = run.message("01-cli/summary")
    assert "count the books per shelf and print a JSON object such as" in message
    assert "cent" not in message


def test_a_python_that_setup_py_rules_out_is_exit_2_naming_the_version(tmp_path):
    edit = ('python_requires=">=3.11"', 'python_requires=">=3.99"')
    repo = repository("library", tmp_path / "library", {"setup.py": [edit]})
    run = run_checker(repo, tmp_path / "report")
    assert run.exit_code == 2, run.stdout + run.stderr
    assert "your project needs Python >=3.99 (python_requires in setup.py)" in run.stderr
