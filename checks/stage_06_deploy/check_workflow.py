"""A CI workflow that guards every push: valid, testing on PostgreSQL, hardened."""

from __future__ import annotations

from checks.harness.catalog import check
from checks.harness.doors.deploy import tools, workflow
from checks.harness.doors.deploy.files import Deployment
from checks.harness.failure import CheckFailed, clip

SHOWN = 10
TEST_RUNNERS = ("pytest", "nox", "tox")
HARDENING = {"unpinned-uses", "excessive-permissions"}  # zizmor's audits this check grades


@check("workflow-valid")
def check_workflow_valid(deployment: Deployment) -> None:
    """Your CI workflow is valid against GitHub's schema, and its jobs and steps make sense.

    Why: GitHub reports a broken workflow only after you push it, and only on its site:
    a misspelt key, a job that `needs` one that does not exist, a step that names an
    action without a version. Until then, nothing guards your main branch.

    Fix: run `uvx check-jsonschema --builtin-schema vendor.github-workflows
    .github/workflows/ci.yml` and fix what it names; `needs:` must name jobs of the same
    file, and `uses:` needs a version (`actions/checkout@<commit>`).
    """
    path = deployment.workflow_path
    errors = deployment.schema_errors(tools.WORKFLOW_SCHEMA)
    shown = deployment.shown(path)
    if errors:
        raise CheckFailed(
            f"{shown} does not match GitHub's workflow schema",
            ran=f"check-jsonschema --builtin-schema {tools.WORKFLOW_SCHEMA} {shown}",
            got=clip("\n".join(errors[:SHOWN]), 1500),
            expected="ok -- validation done",
        )
    problems = workflow.meaning_problems(deployment.workflow, deployment.text(path))
    if problems:
        raise CheckFailed(
            f"{shown} has the right shape, but GitHub would not run it as written",
            ran=f"read the jobs and steps of {shown}",
            got="\n".join(problems[:SHOWN]),
            expected="needs: naming jobs of this file, uses: with a version, closed ${{ }}",
        )


def _runs(step: workflow.Step, names: tuple[str, ...]) -> bool:
    if any(name in step.uses for name in names):
        return True
    return any(
        word.rsplit("/", 1)[-1] in names
        for command in workflow.commands(step.run)
        for word in command[:6]  # `uv run coverage run -m pytest`: the runner is near the start
    )


@check("workflow-runs-tests")
def check_workflow_runs_tests(deployment: Deployment) -> None:
    """On every push and pull request, CI runs ruff and the tests on a PostgreSQL service.

    Why: a test suite that runs only on your laptop guards nothing: the commit that breaks
    main is the one pushed in a hurry. CI runs it on every push and on every pull request,
    before review, against the database production uses (an in-memory SQLite hides what
    PostgreSQL refuses).

    Fix: `on: [push, pull_request]`; a job with `services: postgres: image: postgres:16`,
    `DATABASE_URL` pointing at it, and steps `uv sync --locked`, `uv run ruff check .`,
    `uv run pytest`.
    """
    deployment.require_valid(tools.WORKFLOW_SCHEMA)
    flow = deployment.workflow
    problems = []
    missing = {"push", "pull_request"} - flow.triggers
    if missing:
        problems.append(f"it does not run on {' and '.join(sorted(missing))}")
    steps = flow.steps()
    if not any(_runs(step, ("ruff",)) for step in steps):
        problems.append("no step runs ruff")
    testing = [job for job in flow.jobs if any(_runs(s, TEST_RUNNERS) for s in job.steps)]
    if not testing:
        problems.append("no step runs the tests (pytest, or nox/tox sessions)")
    elif not any(any("postgres" in image for image in job.service_images()) for job in testing):
        jobs = ", ".join(job.id for job in testing)
        problems.append(f"the job that runs the tests ({jobs}) has no PostgreSQL service")
    if problems:
        raise CheckFailed(
            f"{flow.path} does not guard every push",
            ran=f"read the triggers, jobs and steps of {flow.path}",
            got="\n".join(problems),
            expected="on push and pull_request: ruff, and pytest in a job with a postgres service",
        )


@check("workflow-hardened", advisory=True)
def check_workflow_hardened(deployment: Deployment) -> None:
    """Actions are pinned to a full commit, and the workflow's token may do no more than read.

    Why: `uses: someone/action@v3` runs whatever that tag points to on the day of the run,
    with your repository's token; tags can be moved, a commit cannot. And a token that
    can write lets a compromised step push code or publish a release (the tj-actions
    incident of 2025 did both, across thousands of repositories).

    Fix: pin each action to the commit of a release, with the tag as a comment
    (`actions/checkout@<40 hex> # v5`; Dependabot keeps them current), and add
    `permissions: contents: read` at the top of the workflow.
    """
    path = deployment.workflow_path
    _ = deployment.workflow  # it must read as YAML first
    done, findings = tools.zizmor(path, deployment.tool_home())
    shown = deployment.shown(path)
    graded = [f for f in findings if f.get("ident") in HARDENING]
    if graded:
        lines = [
            f"line {tools.first_line(f)}: {f.get('ident')}: {f.get('desc')}" for f in graded[:SHOWN]
        ]
        others = len(findings) - len(graded)
        more = f"\n(zizmor has {others} other finding(s): run it to read them)" if others else ""
        raise CheckFailed(
            f"zizmor finds {len(graded)} way(s) to harden {shown}",
            ran=f"zizmor --offline {shown}",
            got="\n".join(lines) + more,
            expected="every action pinned to a commit, and permissions narrowed",
        )
    if not done.ok and not findings:
        unpinned = workflow.unpinned(deployment.workflow)
        if unpinned:  # zizmor could not read it: the checker's own rule still can
            raise CheckFailed(
                f"{len(unpinned)} action(s) in {shown} are not pinned to a commit",
                ran=f"read the uses: of {shown}",
                got="\n".join(f"{s.label}: {s.uses}" for s in unpinned[:SHOWN]),
                expected="uses: owner/action@<40-character commit>",
            )
