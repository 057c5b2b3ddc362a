"""Starting a stage before its manifest table: that stage's manifest check fails alone,
with the table in the project's own names, and nothing waits (stage_start.py)."""

import pytest

from tests.conftest import require_postgres, run_checker

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("stage", "table", "line"),
    [
        (3, "[tool.roadmap.api]", 'app = "expense_tracker.api.main:app"'),
        (4, "[tool.roadmap.auth]", 'cli_user_env = "EXPENSE_TRACKER_USER"'),
    ],
)
def test_a_stage_started_without_its_table_fails_its_manifest_check(
    stage, table, line, reference, tmp_path
):
    if stage >= 4:
        require_postgres()
    check_id = {3: "03-api", 4: "04-auth"}[stage] + "/manifest-table"
    run = run_checker(reference(stage - 1), tmp_path / "report", "--stage", str(stage))
    assert run.exit_code == 1, run.stdout + run.stderr
    statuses = run.statuses()
    assert statuses.pop(check_id) == "fail"
    later = {k: v for k, v in statuses.items() if k.startswith(check_id.split("/")[0])}
    assert set(later.values()) == {"blocked"}
    # The earlier stages are still graded, and the project that finished them passes them.
    earlier = {k: v for k, v in statuses.items() if int(k[:2]) < stage}
    assert earlier and set(earlier.values()) <= {"pass", "not-applicable"}, run.stdout
    assert table in run.message(check_id) and line in run.message(check_id)
    assert f"Next: fix {check_id}" in run.stdout
