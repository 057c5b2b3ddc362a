"""Does the project install, and does its command start?"""

from checks.harness import lock
from checks.harness.catalog import check
from checks.harness.doors.cli.driver import LearnerCli
from checks.harness.failure import CheckFailed, outcome, require_success
from checks.harness.process import Completed
from checks.harness.workspace import Workspace


@check("installs")
def check_installs(installation: Completed, workspace: Workspace) -> None:
    """Your project installs into a fresh virtual environment.

    Why: a tool that only runs on your laptop is not finished. Employers look for a
    pyproject.toml that installs with one command, because that is what CI, Docker images
    and colleagues will do with your code. The checker installs the versions your uv.lock
    (or pinned requirements.txt) holds, as CI does.

    Fix: run `uv sync` (or `pip install .`) in a fresh virtual environment and read the
    first error. Usually a dependency is misspelled, the [build-system] table is
    missing, or the package folder under src/ does not match the project name.
    """
    if lock.out_of_date(installation):
        raise CheckFailed(
            "your uv.lock is out of date: pyproject.toml changed after it was written, so "
            "the checker cannot install the versions you tested",
            ran="uv sync --locked",
            got=outcome(installation),
            expected="uv.lock to match pyproject.toml",
            fix="run `uv lock`, then commit uv.lock with pyproject.toml",
        )
    if not installation.ok:
        raise CheckFailed(
            "your project does not install",
            ran=workspace.lock.command,
            got=outcome(installation),
            expected="the install to finish with exit code 0",
        )


@check("help")
def check_help(cli: LearnerCli) -> None:
    """Your command answers `--help` with usage text and exit code 0.

    Why: `--help` is the first thing anyone types. A command that crashes here usually has
    a broken entry point in [project.scripts], so nothing else can work either.

    Fix: make sure [project.scripts] in pyproject.toml points at a function that exists,
    like `{command} = "{package}.cli:main"`, and that `main` builds an argparse
    parser (which gives you --help for free).
    """
    result = cli.run(["--help"])
    require_success(result, "printing help")
    if "usage" not in (result.stdout + result.stderr).lower():
        raise CheckFailed(
            "`--help` printed no usage text",
            ran=f"{cli.command} --help",
            got=outcome(result),
            expected=f"a usage line such as `usage: {cli.command} [-h] {{add,list,...}}`",
        )
