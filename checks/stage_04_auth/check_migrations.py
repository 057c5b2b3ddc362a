"""Migrations own the schema, and the operator's admin comes from the CLI."""

import contextlib
from collections.abc import Callable

from checks.harness import environment
from checks.harness.catalog import check
from checks.harness.doors.http import accounts
from checks.harness.doors.http.resource import LearnerApi
from checks.harness.doors.storage import database
from checks.harness.failure import CheckFailed, NotApplicable, command_line, outcome
from checks.harness.manifest import Manifest
from checks.harness.process import Completed, run
from checks.harness.settings import Settings
from checks.harness.workspace import Workspace


@check("migrations-upgrade")
def check_migrations_upgrade(installed: Workspace) -> None:
    """Your migrations build the whole schema on an empty PostgreSQL database.

    Why: in production nobody runs `create_all`: a deploy runs the migrations, in order,
    on a database that already holds your users' data. If they cannot build the schema
    from nothing, a new environment (CI, a colleague's laptop, a disaster recovery)
    cannot be built at all.

    Fix: run the command below on an empty database and read its error. With Alembic:
    `alembic revision --autogenerate -m "..."` after each model change, read the file it
    writes, and make `migrations/env.py` read the URL from DATABASE_URL.
    """
    database.require_migrated()  # done once per run, before the checks


@check("admin-from-the-cli")
def check_admin_from_the_cli(operator_login: Callable[..., LearnerApi], manifest: Manifest) -> None:
    """An admin made with your CLI's create-admin command can log in and use admin routes.

    Why: the first admin of a system is made by whoever runs it, on the server, never
    through the public sign-up form; otherwise anyone could make themselves one.

    Fix: add a CLI command that takes a user name and a password, hashes the password
    like sign-up does, and stores the user with the admin flag set; declare it as
    create_admin in [tool.roadmap.auth].
    """
    auth = manifest.require_auth()
    if not auth.makes_admins:
        raise CheckFailed(
            "the manifest says no command that makes an admin",
            expected="create_admin (arguments of your CLI) or admin_command (a whole "
            "command line) under [tool.roadmap.auth]",
            fix="write a command that takes a user name and a password, hashes the "
            "password like sign-up does and stores the user as an admin; declare it, e.g. "
            'admin_command = ["python", "-m", "{package}.create_admin", "{username}", '
            '"{password}"] for a project without a CLI',
        )
    command = "the command in admin_command" if auth.admin_command else "your create-admin"
    # The command's own failure (it exited non-zero) comes as it is, with its output. A
    # login that fails for the operator, when it works for users who sign up, is this
    # check's failure; when it fails for everyone, the login's check grades it.
    try:
        admin = operator_login(step=accounts.LOGIN)
    except CheckFailed as failure:
        if failure.step == accounts.LOGIN:  # not the command's own failure, with its output
            failure.fix = accounts.OPERATOR_FIX.replace("your admin command", command)
        raise
    answer = admin.request("GET", auth.admin_only)
    answer.expect(
        200,
        doing=f"asking {auth.admin_only} as the admin your command made",
        fix=f"{command} made a user who is not an admin: set the admin flag on the user it "
        "stores (and only there: sign-up never sets it)",
    )


def _alembic(
    workspace: Workspace, manifest: Manifest, url: str, *args: str, timeout: float
) -> Completed:
    env = workspace.env(**environment.with_database(manifest, url))
    return run(["alembic", *args], cwd=workspace.project, env=env, timeout=timeout * 4)


# What the checker's copy of the template stands for, so a failure's commands paste.
UPGRADED = "alembic upgrade head  # on an empty database (the checker copies one it migrated)"


def _require_ok(done: Completed, problem: str, expected: str, *before: str) -> None:
    if not done.ok:
        ran = "\n".join([UPGRADED, *before, command_line(done.argv)])
        raise CheckFailed(problem, ran=ran, got=outcome(done), expected=expected)


def _alembic_only(manifest: Manifest) -> None:
    if not manifest.migrations.alembic:
        raise NotApplicable("the project's migrations are not run with Alembic")


@check("migrations-match-the-models")
def check_migrations_match_the_models(installed: Workspace) -> None:
    """On a freshly migrated database, `alembic check` finds nothing the migrations miss.

    Why: a model changed without a migration works on your laptop (where `create_all` or
    an old database hides it) and breaks on the first deploy. `alembic check` compares
    the models with what the migrations built.

    Fix: after changing a model, run `alembic revision --autogenerate -m "..."`, read the
    migration it writes, and commit it with the model change.
    """
    drift = database.drift()  # `alembic check` on a freshly migrated database, once a run
    if not drift["applies"]:
        raise NotApplicable("the project's migrations are not run with Alembic")
    if not drift["ok"]:
        raise CheckFailed(
            "the models and the migrations disagree",
            ran=f"{UPGRADED}\n{drift['ran']}",
            got=drift["got"],
            expected="No new upgrade operations detected.",
        )


@check("one-head-and-a-round-trip")
def check_one_head_and_a_round_trip(
    installed: Workspace, manifest: Manifest, run_settings: Settings
) -> None:
    """Your migrations have one head, and `downgrade base` then `upgrade head` works.

    Why: two heads mean two branches of history that no deploy can apply in order; a
    downgrade that fails leaves you without a way back when a release goes wrong.

    Fix: `alembic merge heads` joins two heads; write a `downgrade()` for every
    `upgrade()` (autogenerate does) and try the round trip before you commit.
    """
    _alembic_only(manifest)
    database.require_migrated()
    url, timeout = database.freshly_migrated(), run_settings.timeout
    heads = _alembic(installed, manifest, url, "heads", timeout=timeout)
    _require_ok(heads, "alembic heads failed", "the list of heads")
    count = heads.stdout.count("(head)")
    if count != 1:
        raise CheckFailed(
            f"your migrations have {count} heads",
            ran=f"{UPGRADED}\n{command_line(heads.argv)}",
            got=outcome(heads),
            expected="exactly one head",
        )
    done_before: list[str] = []
    for step in (("downgrade", "base"), ("upgrade", "head")):  # from head, as upgraded
        done = _alembic(installed, manifest, url, *step, timeout=timeout)
        problem = f"alembic {' '.join(step)} failed in the round trip"
        _require_ok(done, problem, "exit code 0", *done_before)
        done_before.append(command_line(done.argv))


@check("app-creates-no-tables")
def check_app_creates_no_tables(api: LearnerApi) -> None:
    """After your app has started and served, the database holds only the migrations' tables.

    Why: a `create_all` at start-up builds whatever the models say, so a missing migration
    goes unnoticed until production, where the table already exists and nothing updates
    it. The schema has one owner: the migrations.

    Fix: delete `Base.metadata.create_all(...)` from the app's start-up (and the CLI's);
    create tables in tests only, or run the migrations there too.
    """
    # The shared server, started on a copy of the template, serves a request first: a lazy
    # `create_all` runs then. Its answer is other checks' business (a 500 from a column
    # the migrations lack is graded by migrations-match-the-models), not this one's.
    with contextlib.suppress(CheckFailed):
        api.request("GET", api.config.collection)
    migrated = set(database.schema_tables())  # as the migrations left the template
    url = api.storage.database[0] if api.storage.database else ""
    extra = sorted(database.tables(url) - migrated)
    if extra:
        raise CheckFailed(
            "tables appeared that your migrations did not make",
            ran=api.command,
            got=", ".join(extra),
            expected="only the tables `alembic upgrade head` makes",
        )
