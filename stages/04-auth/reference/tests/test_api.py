"""The web API through FastAPI's TestClient, on the fake unit of work: no server, no
database, just HTTP in and JSON out. Each client logs in the way a real one does, with
the OAuth2 password form, and sends its token on every request."""

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from expense_tracker.api.deps import INVALID_TOKEN, get_unit_of_work
from expense_tracker.core.config import Settings
from expense_tracker.services import LOGIN_FAILED

PASSWORD = "correct horse battery"  # as in conftest.py: every user the fixtures make has it


@pytest.fixture
def app(uow) -> FastAPI:
    # Imported here, not at the top: importing main runs `app = create_app()`, which needs
    # SECRET_KEY, and conftest's `environment` fixture sets it only when a test starts.
    from expense_tracker.api.main import create_app

    app = create_app(Settings(database_url="sqlite://"))
    app.dependency_overrides[get_unit_of_work] = lambda: uow
    return app


@pytest.fixture
def anonymous(app) -> TestClient:
    return TestClient(app)


def logged_in(app: FastAPI, username: str) -> TestClient:
    client = TestClient(app)
    answer = client.post("/v1/auth/token", data={"username": username, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    client.headers["Authorization"] = f"Bearer {answer.json()['access_token']}"
    return client


@pytest.fixture
def client(app, alice) -> TestClient:
    return logged_in(app, "alice")


@pytest.fixture
def bobs_client(app, bob) -> TestClient:
    return logged_in(app, "bob")


@pytest.fixture
def admins_client(app, admin) -> TestClient:
    return logged_in(app, "root")


def create(client, **body):
    response = client.post("/v1/expenses", json={"amount": 12.5, "category": "food", **body})
    assert response.status_code == 201, response.text
    return response.json()


# Expenses


def test_creating_answers_201_with_the_stored_expense(client, alice):
    response = client.post("/v1/expenses", json={"amount": 12.5, "category": "food"})

    assert response.status_code == 201
    assert response.json() == {
        "id": 1,
        "amount": "12.50",
        "category": "food",
        "note": "",
        "owner_id": alice.id,
    }


def test_an_expense_reads_back_as_it_was_created(client):
    created = create(client, note="lunch")

    assert client.get(f"/v1/expenses/{created['id']}").json() == created


def test_the_listing_is_paged_oldest_first_with_the_total(client):
    for amount in ("1", "2", "3"):
        create(client, amount=amount)

    page = client.get("/v1/expenses", params={"limit": 2, "offset": 1}).json()

    assert [item["amount"] for item in page["items"]] == ["2.00", "3.00"]
    assert (page["total"], page["limit"], page["offset"]) == (3, 2, 1)


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 101}, {"offset": -1}])
def test_a_page_size_out_of_bounds_is_refused(client, params):
    assert client.get("/v1/expenses", params=params).status_code == 422


def test_patch_changes_only_the_fields_sent(client):
    created = create(client, note="lunch")

    response = client.patch(f"/v1/expenses/{created['id']}", json={"category": "travel"})

    assert response.status_code == 200
    assert response.json() == {**created, "category": "travel"}


def test_deleting_answers_204_and_then_the_expense_is_gone(client):
    created = create(client)

    deleted = client.delete(f"/v1/expenses/{created['id']}")

    assert (deleted.status_code, deleted.content) == (204, b"")
    assert client.get(f"/v1/expenses/{created['id']}").status_code == 404


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_an_unknown_id_answers_404_with_a_message(client, method):
    response = client.request(method.upper(), "/v1/expenses/7", json={})

    assert response.status_code == 404
    assert response.json() == {"detail": "no expense with id 7; `list` shows the ids"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount": "twelve", "category": "food"}, "amount"),
        ({"amount": -1, "category": "food"}, "amount"),
        ({"amount": 1.005, "category": "food"}, "amount"),
        ({"amount": 1, "category": "eating out"}, "category"),
        ({"category": "food"}, "amount"),
        ({"amount": 1, "category": "food", "colour": "red"}, "colour"),
        ({"amount": 1, "category": "food", "owner_id": 2}, "owner_id"),
    ],
)
def test_an_invalid_body_answers_422_naming_the_field(client, body, field):
    response = client.post("/v1/expenses", json=body)

    assert response.status_code == 422
    assert [error["loc"][-1] for error in response.json()["detail"]] == [field]


def test_a_method_the_path_does_not_have_answers_405(client):
    assert client.put("/v1/expenses", json={}).status_code == 405


@pytest.mark.parametrize("too_big", [2**31, 2**63])
def test_an_id_too_big_for_the_database_is_refused_not_a_crash(client, too_big):
    assert client.get(f"/v1/expenses/{too_big}").status_code == 422


# Ownership over HTTP


def test_another_users_expense_answers_404_for_every_method(client, bobs_client):
    alices = create(client)

    for method in ("GET", "PATCH", "DELETE"):
        answer = bobs_client.request(method, f"/v1/expenses/{alices['id']}", json={})
        assert answer.status_code == 404, method
    assert client.get(f"/v1/expenses/{alices['id']}").json() == alices


def test_a_user_lists_only_their_own_expenses(client, bobs_client):
    create(client)
    bobs = create(bobs_client, category="rent")

    assert bobs_client.get("/v1/expenses").json()["items"] == [bobs]


def test_an_admin_lists_and_reads_everyones_expenses(client, bobs_client, admins_client):
    alices, bobs = create(client), create(bobs_client)

    assert admins_client.get("/v1/expenses").json()["items"] == [alices, bobs]
    assert admins_client.get(f"/v1/expenses/{alices['id']}").json() == alices


# Users and logging in


def test_registering_answers_201_with_the_user_and_no_password(anonymous):
    response = anonymous.post("/v1/users", json={"username": "ada", "password": PASSWORD})

    assert response.status_code == 201
    assert response.json() == {"id": 1, "username": "ada", "is_admin": False}


def test_registration_cannot_make_an_admin(anonymous):
    body = {"username": "mallory", "password": PASSWORD, "is_admin": True, "role": "admin"}

    response = anonymous.post("/v1/users", json=body)

    assert response.status_code == 201
    assert response.json()["is_admin"] is False


def test_registering_a_taken_username_answers_409(anonymous, alice):
    response = anonymous.post("/v1/users", json={"username": "alice", "password": PASSWORD})

    assert response.status_code == 409
    assert response.json() == {"detail": "the username 'alice' is taken; choose another"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"username": "ada", "password": "short"}, "password"),
        ({"username": "ada", "password": "x" * 129}, "password"),
        ({"username": "a d", "password": PASSWORD}, "username"),
        ({"username": "ada"}, "password"),
    ],
)
def test_a_bad_registration_answers_422_naming_the_field(anonymous, body, field):
    response = anonymous.post("/v1/users", json=body)

    assert response.status_code == 422
    assert [error["loc"][-1] for error in response.json()["detail"]] == [field]


def test_logging_in_answers_a_bearer_token(anonymous, alice):
    answer = anonymous.post("/v1/auth/token", data={"username": "alice", "password": PASSWORD})

    assert answer.status_code == 200
    assert answer.json()["token_type"] == "bearer"
    assert answer.json()["access_token"].count(".") == 2  # header.claims.signature


def test_a_wrong_password_and_an_unknown_user_get_the_same_401(anonymous, alice):
    wrong = anonymous.post("/v1/auth/token", data={"username": "alice", "password": "nope" * 3})
    unknown = anonymous.post("/v1/auth/token", data={"username": "eve", "password": PASSWORD})

    for answer in (wrong, unknown):
        assert answer.status_code == 401
        assert answer.headers["WWW-Authenticate"] == "Bearer"
        assert answer.json() == {"detail": LOGIN_FAILED}


def test_me_is_the_logged_in_user(client, alice):
    assert client.get("/v1/users/me").json() == {
        "id": alice.id,
        "username": "alice",
        "is_admin": False,
    }


def test_only_an_admin_may_list_the_users(client, admins_client):
    assert client.get("/v1/users").status_code == 403
    listed = admins_client.get("/v1/users")
    assert listed.status_code == 200
    assert [user["username"] for user in listed.json()] == ["alice", "root"]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer not-a-token"},
        {"Authorization": "Basic YWxpY2U6c2VjcmV0"},
    ],
    ids=["no token", "garbage token", "not a bearer token"],
)
@pytest.mark.parametrize("path", ["/v1/expenses", "/v1/expenses/1", "/v1/users/me"])
def test_without_a_valid_token_the_answer_is_401(anonymous, headers, path):
    answer = anonymous.get(path, headers=headers)

    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"] == "Bearer"
    assert answer.json() == {"detail": INVALID_TOKEN}


def test_a_token_of_a_user_who_no_longer_exists_is_refused(client, uow, alice):
    del uow.users.users[alice.id]

    assert client.get("/v1/users/me").status_code == 401


def test_openapi_declares_the_password_flow(anonymous):
    schemes = anonymous.get("/openapi.json").json()["components"]["securitySchemes"]

    assert schemes["OAuth2PasswordBearer"]["flows"]["password"]["tokenUrl"] == "/v1/auth/token"


# Settings


def test_the_app_refuses_to_start_without_a_secret_key(monkeypatch):
    from expense_tracker.api.main import create_app

    monkeypatch.delenv("SECRET_KEY")

    with pytest.raises(RuntimeError, match="^SECRET_KEY is not set"):
        create_app(Settings())


def test_in_development_the_app_starts_without_a_secret_key(monkeypatch):
    from expense_tracker.api.main import create_app

    monkeypatch.delenv("SECRET_KEY")
    monkeypatch.setenv("APP_ENV", "development")

    assert create_app(Settings()).title == "Expense tracker"
