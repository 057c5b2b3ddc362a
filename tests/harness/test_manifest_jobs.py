"""[tool.roadmap.jobs]: the conventions as defaults, the learner's words where they differ,
and every mistake one line that names the key."""

import pytest

from checks.harness import manifest
from checks.harness.doors.jobs import payloads
from checks.harness.manifest.examples import stage_table
from tests.harness.test_manifest import API, AUTH, GOOD, LAYERS

BASE = GOOD.replace("stage = 1", "stage = 7") + LAYERS + API + AUTH
JOBS = """
[tool.roadmap.jobs]
start = "/v1/imports"
worker = ["expense-tracker", "worker"]

[tool.roadmap.jobs.succeeds]
body = { csv = "amount,category\\n{amount},{category}\\n" }
result = { imported = 1, total = "{amount}" }

[tool.roadmap.jobs.slow]
body = { csv = "amount,category\\n{amount},{category}\\n", delay_seconds = 3 }

[tool.roadmap.jobs.fails]
body = { csv = "amount,category\\nnot-a-number,{category}\\n" }
"""


def _load(tmp_path, text):
    (tmp_path / "pyproject.toml").write_text(text)
    return manifest.load(tmp_path)


def test_the_jobs_table_loads_with_the_conventions_as_defaults(tmp_path):
    jobs = _load(tmp_path, BASE + JOBS).require_jobs()
    assert (jobs.start, jobs.worker) == ("/v1/imports", ("expense-tracker", "worker"))
    assert (jobs.status_field, jobs.result_field, jobs.error_field) == ("status", "result", "error")
    assert [jobs.word(state) for state in manifest.jobs.STATES] == list(manifest.jobs.STATES)
    assert jobs.stalled_after == 30
    assert jobs.slow.body["delay_seconds"] == 3 and jobs.fails.result is None


def test_a_project_that_speaks_of_its_jobs_in_its_own_words_says_so(tmp_path):
    words = JOBS.replace(
        'worker = ["expense-tracker", "worker"]',
        'worker = ["python", "-m", "app.worker"]\nstatus_field = "state"\n'
        'states = { queued = "pending", succeeded = "done" }\nresult_field = "output"\n'
        "stalled_after = 90",
    )
    jobs = _load(tmp_path, BASE + words).require_jobs()
    assert (jobs.status_field, jobs.result_field, jobs.stalled_after) == ("state", "output", 90)
    assert jobs.word("queued") == "pending" and jobs.word("running") == "running"
    assert jobs.state_of("done") == "succeeded" and jobs.state_of("succeeded") is None


@pytest.mark.parametrize(
    ("replace", "names"),
    [
        (('start = "/v1/imports"', 'start = "v1/imports"'), "[tool.roadmap.jobs] start: must be"),
        (('start = "/v1/imports"\n', ""), "[tool.roadmap.jobs] start: is missing"),
        (
            ('worker = ["expense-tracker", "worker"]', 'worker = "expense-tracker worker"'),
            "[tool.roadmap.jobs] worker: must be a non-empty list",
        ),
        (
            ("[tool.roadmap.jobs.fails]", "[tool.roadmap.jobs.failing]"),
            "[tool.roadmap.jobs] fails: is missing",
        ),
        (
            ('{amount},{category}\\n" }\nresult', '{cost}\\n" }\nresult'),
            "[tool.roadmap.jobs.succeeds] body: names the field 'cost'",
        ),
        (('total = "{amount}"', 'total = "{price}"'), "succeeds] result: names the field 'price'"),
        (('worker"]\n', 'worker"]\nstates = { done = "ok" }\n'), "states: has 'done'"),
        (
            ('worker"]\n', 'worker"]\nstates = { queued = "new", failed = "new" }\n'),
            "states: gives two states the same word",
        ),
        (('worker"]\n', 'worker"]\nstalled_after = 600\n'), "stalled_after: must be between"),
        (('worker"]\n', 'worker"]\nstalled_after = "30s"\n'), "stalled_after: must be a whole"),
    ],
)
def test_a_broken_jobs_table_is_one_line_that_names_the_key(tmp_path, replace, names):
    with pytest.raises(manifest.ManifestError) as error:
        _load(tmp_path, BASE + JOBS.replace(*replace))
    message = str(error.value)
    assert names in message, message
    assert "\n" not in message and "for example" in message


def test_stage_7_needs_the_jobs_table_and_says_so_before_anything_runs(tmp_path):
    loaded = _load(tmp_path, BASE)
    assert loaded.missing_table(6) is None
    assert loaded.missing_table(7) == (7, "[tool.roadmap.jobs] is missing")
    with pytest.raises(manifest.ManifestError, match=r"\[tool.roadmap.jobs\] is missing"):
        loaded.require_jobs()


def test_the_table_stage_7_starts_with_loads_as_pasted_in_the_learners_own_names(tmp_path):
    inventory = (
        BASE.replace("expense-tracker", "stock-keeper")
        .replace("expense_tracker", "stock_keeper")
        .replace("/v1/expenses", "/v1/items")
    )
    table = stage_table(_load(tmp_path, inventory), 7)
    assert 'start = "/v1/imports"' in table and '["stock-keeper", "worker"]' in table
    jobs = _load(tmp_path, inventory + "\n" + table).require_jobs()
    assert jobs.succeeds.body == {"csv": "amount,category\n{amount},{category}\n"}
    assert jobs.fails.body == {"csv": "amount,category\nnot-a-number,{category}\n"}


def test_a_payload_is_filled_with_the_records_values_and_a_lone_number_stays_a_number(tmp_path):
    loaded = _load(tmp_path, BASE + JOBS)
    record = {"amount": "12.50", "category": "food"}
    body = {"csv": "amount,category\n{amount},{category}\n", "amount": "{amount}", "n": 2}
    filled = payloads.fill(body, record, loaded.fields)
    assert filled == {"csv": "amount,category\n12.50,food\n", "amount": 12.5, "n": 2}
    expected = payloads.fill({"imported": 1, "total": "{amount}"}, record, loaded.fields)
    assert payloads.matches(expected, {"imported": 1, "total": "12.5", "took_ms": 40})
    assert payloads.matches(expected, {"imported": "1", "total": 12.50})
    assert not payloads.matches(expected, {"imported": 2, "total": "12.50"})
    assert not payloads.matches(expected, {"total": "12.50"})
    assert not payloads.matches({"ok": True}, {"ok": 1})
