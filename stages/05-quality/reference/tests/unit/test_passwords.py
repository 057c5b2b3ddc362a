from pwdlib import PasswordHash

from expense_tracker import passwords
from expense_tracker.passwords import hash_password, verify_password


def test_a_hash_is_not_the_password_and_verifies_it():
    hashed = hash_password("correct horse battery")

    assert "correct horse battery" not in hashed
    assert verify_password("correct horse battery", hashed)
    assert not verify_password("correct horse batterY", hashed)


def test_the_same_password_hashes_differently_each_time():
    # A random salt per hash: two users with one password don't share a hash, and a
    # table of precomputed hashes is no help to an attacker.
    assert hash_password("correct horse battery") != hash_password("correct horse battery")


def test_without_a_stored_hash_no_password_verifies():
    assert not verify_password("correct horse battery", None)


def test_the_real_settings_are_argon2id(monkeypatch):
    monkeypatch.setattr(passwords, "_hasher", PasswordHash.recommended())  # undo the fixture

    hashed = hash_password("correct horse battery")

    assert hashed.startswith("$argon2id$")
    assert verify_password("correct horse battery", hashed)
