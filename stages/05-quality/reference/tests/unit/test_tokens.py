"""Access tokens: only a token we signed, unchanged and unexpired, names a user."""

import base64
import json
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from expense_tracker.api.tokens import create_access_token, read_access_token

SECRET = "a-test-secret-that-is-at-least-32-bytes-long"
NOW = datetime.now(UTC)


def signed(claims: dict[str, object], secret: str = SECRET) -> str:
    return jwt.encode(claims, secret, algorithm="HS256")


def test_a_fresh_token_names_its_user():
    token = create_access_token(42, SECRET, timedelta(minutes=30))

    assert read_access_token(token, SECRET) == 42


def test_a_token_holds_the_user_id_as_sub_with_iat_and_exp():
    token = create_access_token(42, SECRET, timedelta(minutes=30))

    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert claims["sub"] == "42"
    assert claims["exp"] - claims["iat"] == 30 * 60


def test_an_expired_token_is_rejected():
    token = create_access_token(42, SECRET, timedelta(minutes=-1))

    assert read_access_token(token, SECRET) is None


def test_a_token_signed_with_another_key_is_rejected():
    token = create_access_token(42, "another-secret-that-is-at-least-32-bytes", timedelta(1))

    assert read_access_token(token, SECRET) is None


def test_a_token_whose_claims_were_changed_is_rejected():
    header, _, signature = create_access_token(42, SECRET, timedelta(1)).split(".")
    forged = {"sub": "1", "exp": int((NOW + timedelta(days=1)).timestamp())}
    payload = base64.urlsafe_b64encode(json.dumps(forged).encode()).rstrip(b"=").decode()

    assert read_access_token(f"{header}.{payload}.{signature}", SECRET) is None


def test_an_unsigned_token_with_alg_none_is_rejected():
    unsigned = jwt.encode({"sub": "42", "exp": NOW + timedelta(1)}, None, algorithm="none")

    assert read_access_token(unsigned, SECRET) is None


@pytest.mark.parametrize(
    "claims",
    [
        {"exp": NOW + timedelta(1)},  # no sub
        {"sub": "42"},  # no exp: it would never expire
        {"sub": "forty-two", "exp": NOW + timedelta(1)},
        {"sub": "0", "exp": NOW + timedelta(1)},
        {"sub": str(2**31), "exp": NOW + timedelta(1)},  # no table holds that id
    ],
)
def test_a_signed_token_without_a_usable_sub_and_exp_is_rejected(claims):
    assert read_access_token(signed(claims), SECRET) is None


@pytest.mark.parametrize("garbage", ["", "not a token", "a.b.c", "Bearer x"])
def test_garbage_is_rejected_not_an_error(garbage):
    assert read_access_token(garbage, SECRET) is None
