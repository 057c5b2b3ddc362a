"""/v1/imports over HTTP, on the fakes: 202 and a Location at once, then a status to poll.
No worker runs here, so every job stays queued; tests/integration/test_worker.py runs them."""

import dataclasses

import pytest

from expense_tracker.models import FAILED, SUCCEEDED

CSV = "amount,category\n12.50,food\n"


def start(client, body=None, **headers):
    return client.post("/v1/imports", json={"csv": CSV} if body is None else body, headers=headers)


def test_starting_an_import_answers_202_with_where_to_follow_it(client):
    answer = start(client, {"csv": CSV, "delay_seconds": 3})

    assert answer.status_code == 202
    job = answer.json()
    assert answer.headers["Location"] == f"/v1/imports/{job['id']}"
    assert (job["status"], job["kind"], job["attempts"]) == ("queued", "import", 0)
    assert (job["result"], job["error"], job["started_at"]) == (None, None, None)


def test_a_queued_job_answers_200_with_retry_after(client):
    location = start(client).headers["Location"]

    answer = client.get(location)

    assert answer.status_code == 200
    assert answer.json()["status"] == "queued"
    assert answer.headers["Retry-After"] == "1"


@pytest.mark.parametrize(
    ("outcome", "shown"),
    [
        ({"status": SUCCEEDED, "result": {"imported": 1}}, ("result", {"imported": 1})),
        ({"status": FAILED, "error": "line 2: no"}, ("error", "line 2: no")),
    ],
)
def test_a_finished_job_shows_its_outcome_and_no_retry_after(client, uow, outcome, shown):
    job_id = start(client).json()["id"]
    job = next(iter(uow.jobs.jobs.values()))
    uow.jobs.jobs[job.id] = dataclasses.replace(job, **outcome)  # as a worker would record

    answer = client.get(f"/v1/imports/{job_id}")

    assert answer.status_code == 200
    assert answer.json()["status"] == outcome["status"]
    assert answer.json()[shown[0]] == shown[1]
    assert "Retry-After" not in answer.headers


def test_the_same_idempotency_key_twice_answers_the_same_job(client):
    first = start(client, **{"Idempotency-Key": "import-2026-05"})
    second = start(client, **{"Idempotency-Key": "import-2026-05"})

    assert second.status_code == 202
    assert second.json()["id"] == first.json()["id"]
    assert second.headers["Location"] == first.headers["Location"]


def test_a_reused_idempotency_key_with_another_body_answers_409(client):
    start(client, **{"Idempotency-Key": "k"})

    answer = start(client, {"csv": "amount,category\n1,rent\n"}, **{"Idempotency-Key": "k"})

    assert answer.status_code == 409


def test_another_users_import_answers_404(client, bobs_client):
    location = start(client).headers["Location"]

    assert bobs_client.get(location).status_code == 404


def test_importing_needs_a_login(anonymous):
    assert start(anonymous).status_code == 401


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"csv": 12},
        {"csv": CSV, "delay_seconds": 11},
        {"csv": CSV, "owner_id": 2},
        {"csv": "amount,category\n1,fo\x00od\n"},
    ],
)
def test_a_body_that_is_not_an_import_answers_422(client, body):
    assert start(client, body).status_code == 422


def test_an_id_that_is_not_a_job_id_answers_422(client):
    assert client.get("/v1/imports/42").status_code == 422
