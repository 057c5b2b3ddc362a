"""Password hashing with pwdlib (Argon2id): each hash carries its own salt and settings."""

from pwdlib import PasswordHash

_hasher = PasswordHash.recommended()
# Checked when nobody has the e-mail address, so that an unknown address takes as long
# to refuse as a wrong password does.
_DUMMY = _hasher.hash("no user has this password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    if password_hash is None:
        _hasher.verify(password, _DUMMY)
        return False
    return _hasher.verify(password, password_hash)
