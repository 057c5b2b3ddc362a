"""/health tells the truth: pass while the database answers, fail while it does not."""


def test_health_passes_without_a_login_when_the_database_answers(anonymous):
    answer = anonymous.get("/health")

    assert answer.status_code == 200
    assert answer.json() == {"status": "pass"}
    assert answer.headers["content-type"] == "application/health+json"
    assert answer.headers["cache-control"] == "no-store"


def test_health_fails_with_503_when_the_database_does_not_answer(anonymous, database):
    database.up = False

    answer = anonymous.get("/health")

    assert answer.status_code == 503
    assert answer.json() == {"status": "fail"}


def test_health_asks_the_database_on_every_request(anonymous, database):
    assert anonymous.get("/health").status_code == 200
    database.up = False
    assert anonymous.get("/health").status_code == 503
    database.up = True
    assert anonymous.get("/health").status_code == 200


def test_openapi_documents_both_answers_of_health(anonymous):
    responses = anonymous.get("/openapi.json").json()["paths"]["/health"]["get"]["responses"]

    assert set(responses) == {"200", "503"}
    assert "application/health+json" in responses["200"]["content"]
