"""What your tests leave unprotected: lines only the checker's requests reach, mutants
your unit tests let live. Both advisory: they advise where to test next, never gate."""

import contextlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from checks.harness import environment
from checks.harness.catalog import check
from checks.harness.doors.http import accounts
from checks.harness.doors.http.resource import LearnerApi, unknown_id
from checks.harness.doors.storage import Storage
from checks.harness.doors.tools import coverage, gaps, mutation
from checks.harness.doors.tools.learner_tests import require_test_tools, whole_suite
from checks.harness.failure import Blocked, CheckFailed, NotMeasured, outcome
from checks.harness.manifest import Manifest
from checks.harness.process import Completed
from checks.harness.settings import Settings
from checks.harness.transcript import Transcript
from checks.harness.values import ValueMaker
from checks.harness.workspace import Workspace
from checks.stage_05_quality.check_pyramid import CLOSED

SUITE = "01-cli/own-tests-pass"
COVERAGE = "05-quality/coverage-threshold"
UNIT_TESTS = "05-quality/unit-tests-without-database"
GRACE = 10.0  # seconds a measured server gets to write its data once asked to stop
SHOWN_FILES = 6
PROBES = (
    "create, read, list, a page, update, delete, an unknown id (404), an invalid body (422), "
    "no token (401), /health"
)
MUTATION_OFF = (
    "mutation testing is opt-in because it takes a minute or more: add --mutation to "
    "roadmap-check to run mutmut on your services with your unit tests"
)


@check("test-gap", advisory=True)
def check_test_gap(
    installed: Workspace,
    manifest: Manifest,
    run_settings: Settings,
    tools: Completed,
    storage: Storage,
    values: ValueMaker,
) -> None:
    """Your tests reach every line of your code that the checker's own requests reach.

    Why: the checker sends your server the requests a user would (create, read, list, a
    page, update, delete, an unknown id, an invalid body, no token, /health) and measures
    which lines they run. A line a user's request runs that none of your tests runs is
    behaviour nobody protects: break it, and every test still passes.

    Fix: for each range named, write a test of what those lines handle (a missing record,
    a refused body, a request without a token), as an API test or a unit test of the
    service; `coverage run --branch -m pytest && coverage report -m` shows it reached.
    """
    suite = whole_suite(installed, manifest, tools, run_settings)
    if not suite.result.ok:
        raise Blocked(SUITE, "your own tests do not pass, so what they reach is not measured")
    if suite.coverage is None:
        raise Blocked(COVERAGE, "coverage measured nothing of your tests")
    reached = _measured_requests(installed, manifest, run_settings, storage, values)
    found = gaps.unreached(reached, coverage.Measured.from_data(suite.coverage), installed.pristine)
    if found:
        count = sum(len(gap.lines) for gap in found)
        shown = [f"your tests never reach {gap.describe()}" for gap in found[:SHOWN_FILES]]
        if len(found) > SHOWN_FILES:
            shown.append(f"… and lines of {len(found) - SHOWN_FILES} more files")
        raise CheckFailed(
            f"the checker's requests run {count} line(s) of your code that your tests never run",
            ran=f"the checker's requests ({PROBES}) to `python -m coverage run -m uvicorn "
            f"{manifest.require_api().app}`, then your tests under `python -m coverage run "
            "--branch -m pytest`",
            got="\n".join(shown),
            expected="every line a request runs to be run by one of your tests as well",
        )


def _measured_requests(
    installed: Workspace,
    manifest: Manifest,
    run_settings: Settings,
    storage: Storage,
    values: ValueMaker,
) -> coverage.Measured:
    """Start the server under the checker's coverage, send the probes, stop it as Ctrl-C
    would (SIGKILL would lose the data) and read what it ran."""
    folder = installed.scratch("requests")
    data = {"COVERAGE_FILE": str(folder / "coverage")}
    launcher = coverage.under_coverage(installed, manifest, [])
    api = LearnerApi.serve(
        manifest, installed, storage, Transcript(), run_settings.timeout, data, launcher
    )
    try:
        api.start()
    except CheckFailed as error:
        raise NotMeasured(f"your server did not start under coverage: {error.problem}") from None
    try:
        _send_probes(api, manifest, values)
    finally:
        stopped = api.stop(grace=GRACE)
    env = installed.env(**data)
    measured = coverage.measured(installed, manifest, env, folder, run_settings.timeout)
    if measured is None:
        why = (
            "your server wrote no coverage data when it stopped"
            if stopped
            else f"your server did not stop within {GRACE:.0f} s of Ctrl-C (SIGINT), so its "
            "coverage data was lost"
        )
        raise NotMeasured(why)
    return measured


def _send_probes(api: LearnerApi, manifest: Manifest, values: ValueMaker) -> None:
    """The requests of stages 3-5, as an ordinary user (the admin-only route included);
    each may fail (another check grades it), the next is sent all the same: only the lines
    they reach count here."""
    stranger, user = api.with_auth(None), api
    collection = api.config.collection

    def probe(send: Callable[[], object]) -> None:
        with contextlib.suppress(CheckFailed):
            send()

    probe(lambda: stranger.request("GET", manifest.quality.health, server_errors=True))
    if manifest.auth is not None:
        try:
            user = api.with_auth(accounts.new_user(api, "probe").token)
        except CheckFailed:
            user = stranger
        probe(lambda: stranger.request("GET", collection, server_errors=True))
        admin_only = manifest.auth.admin_only  # an ordinary user refused: a rule of stage 4
        probe(lambda: user.request("GET", admin_only, server_errors=True))
    made: list[Any] = []
    record = api.body(values.record(manifest.fields))
    probe(lambda: made.append(user.request("POST", api.config.create_path, body=record).json()))
    probe(lambda: user.request("GET", collection, server_errors=True))
    probe(lambda: user.request("GET", collection, params=api.page(0, 2), server_errors=True))
    bad = {**values.record(manifest.fields), **manifest.invalid}
    probe(lambda: user.request("POST", api.config.create_path, body=api.body(bad)))
    created = made[0] if made else None
    if not isinstance(created, dict) or manifest.id_field not in created:
        return
    record_id = created[manifest.id_field]
    probe(lambda: user.request("GET", api.paths.item_url(record_id), server_errors=True))
    probe(lambda: user.request("GET", api.paths.item_url(unknown_id(record_id, values.token()))))
    changes = {name: values.value(manifest.fields[name]) for name in api.config.update_fields}
    probe(lambda: user.update(created, changes))
    probe(lambda: user.request("DELETE", api.paths.item_url(record_id), server_errors=True))


@check("mutation-score", advisory=True)
def check_mutation_score(
    installed: Workspace, manifest: Manifest, run_settings: Settings, tools: Completed
) -> None:
    """Your unit tests fail when a rule of your services is changed (mutation testing, opt-in).

    Why: coverage says a line ran, not that a test would notice it change. Mutation
    testing changes your services one small thing at a time (`<` into `<=`, `and` into
    `or`, a value into None) and runs your unit tests against each change: a change every
    test still passes is a rule no test pins down. It is slow, so it runs when asked.

    Fix: for each change listed, write the test that fails when it is made: the boundary
    (`<` or `<=`), the other side of the `if`, the exact value returned. To see them all:
    `pip install mutmut`, then `mutmut run` and `mutmut results` in your project.
    """
    if not run_settings.mutation:
        raise NotMeasured(MUTATION_OFF)
    layers = manifest.require_layers()
    goal = mutation.target(installed.pristine, layers.services)
    if goal is None:
        raise NotMeasured(
            f"no file of your services ({', '.join(layers.services)}, from "
            "[tool.roadmap.layers] services) was found under src/ or the project folder"
        )
    folder = manifest.quality.unit_tests
    if not (installed.pristine / folder).is_dir():
        raise Blocked(UNIT_TESTS, f"your project has no {folder}/ folder of unit tests")
    require_test_tools(installed, manifest, tools)
    added = mutation.install(installed)
    if not added.ok:
        raise NotMeasured(
            f"{mutation.MUTMUT} could not be added to your environment without changing a "
            f"package your project pins: {_last_words(added)}"
        )
    try:
        copy = mutation.prepare(installed, goal, folder)
    except (ValueError, OSError) as error:
        raise NotMeasured(str(error)) from None
    env = installed.env(
        **environment.with_database(manifest, CLOSED), HOME=str(installed.scratch("home"))
    )
    budget = run_settings.mutation_budget
    began = time.monotonic()
    ran = mutation.run_mutmut(installed, copy, env, budget)
    seconds = time.monotonic() - began
    result = mutation.outcome(copy)
    if not result.tried:
        raise NotMeasured(
            f"mutmut tried no mutant of your services within {budget:.0f} s"
            + ("" if ran.timed_out else f"; it said: {_last_words(ran)}")
        )
    _report(installed, copy, env, result, ran, budget, seconds)


def _report(
    installed: Workspace,
    copy: Path,
    env: dict[str, str],
    result: mutation.Outcome,
    ran: Completed,
    budget: float,
    seconds: float,
) -> None:
    """Pass when every mutant tried was killed; else the score and the telling survivors."""
    tried, untested = len(result.tried), result.untested
    partial = (
        f" (the {budget:.0f} s budget ended after {tried} of {len(result.mutants)} mutants: "
        "--mutation-budget gives it longer)"
        if ran.timed_out
        else ""
    )
    if result.killed == tried:
        return
    diffs = mutation.diffs(installed, copy, result.survivors, env)
    changes = [
        found
        for mutant in result.survivors
        if (found := mutation.change(mutant, diffs.get(mutant.name, ""))) is not None
    ]
    shown = [_sentence(installed, change) for change in mutation.telling(changes)]
    if untested:
        shown.append(f"and {untested} change(s) in functions no unit test calls at all")
    raise CheckFailed(
        f"your unit tests catch {result.killed} of {tried} changes to your services "
        f"({result.score:.1f} %): {tried - result.killed} go unnoticed{partial}",
        ran=f"mutmut run ({mutation.MUTMUT}) on your services with your unit tests, "
        f"{seconds:.0f} s",
        got="\n".join(shown) or "(mutmut's diffs of the survivors could not be read)",
        expected="a unit test that fails for each change: every mutant killed",
    )


def _sentence(installed: Workspace, change: mutation.Change) -> str:
    """ "a test that fails when `X` becomes `Y` (src/app/services.py line 12, in `f`)"."""
    where = change.mutant.path
    line = _line_of(installed.pristine / where, change)
    where += f" line {line}" if line else ""
    before, after = change.shown()
    becomes = f"`{after}`" if after else "nothing (the line removed)"
    return (
        f"a test that fails when `{before}` becomes {becomes} "
        f"({where}, in `{change.mutant.function}`)"
    )


def _last_words(result: Completed) -> str:
    """A program's last line of output, for a one-line reason."""
    said = [line.strip() for line in (result.stdout + "\n" + result.stderr).splitlines()]
    said = [line for line in said if line]
    return said[-1][:300] if said else outcome(result)


def _line_of(source: Path, change: mutation.Change) -> int | None:
    """The line of the learner's file that a mutant changed: the changed text, found in
    the function the mutant belongs to (mutmut's diff counts lines from the function)."""
    span = next((f for f in gaps.outline(source).functions if f[2] == change.mutant.function), None)
    try:
        lines = source.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    if span is None:
        return None
    last = min(span[1], len(lines))
    return next(
        (n for n in range(span[0], last + 1) if lines[n - 1].strip() == change.before), None
    )
