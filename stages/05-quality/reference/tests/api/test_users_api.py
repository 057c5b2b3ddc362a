"""/v1/users and /v1/auth/token: signing up, logging in, and tokens that are refused."""

import pytest

from expense_tracker.api.deps import INVALID_TOKEN
from expense_tracker.services import LOGIN_FAILED

PASSWORD = "correct horse battery"  # as in conftest.py: every user the fixtures make has it


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


@pytest.mark.parametrize("username", ["ali\x00ce", "x" * 10_000, "alice; --"])
def test_a_login_name_no_one_can_have_is_the_same_401_and_never_looked_up(
    anonymous, uow, alice, username, monkeypatch
):
    def looked_up(name):
        raise AssertionError(f"the database was asked about {name!r}")

    monkeypatch.setattr(uow.users, "by_username", looked_up)

    answer = anonymous.post("/v1/auth/token", data={"username": username, "password": PASSWORD})

    # A NUL byte sent to PostgreSQL is an error, which used to come back as a 503.
    assert answer.status_code == 401
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
