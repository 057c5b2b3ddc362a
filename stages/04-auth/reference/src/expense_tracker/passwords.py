"""Password hashing: store a hash that can check a password, never the password itself.

Argon2 (through pwdlib) is slow and needs memory on purpose, so someone who steals the
users table cannot try billions of guesses a second on a graphics card. Each hash carries
its own random salt and its parameters ("$argon2id$v=19$m=65536,t=3,p=4$..."), so two
users with the same password get different hashes, and stronger settings later still
verify the old hashes.
"""

from functools import cache

from pwdlib import PasswordHash

_hasher = PasswordHash.recommended()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """Whether `password` is the one `password_hash` was made from.

    With no hash (no user has the name someone tried), check against a dummy hash anyway
    and answer False: the answer then takes as long as for a real user with a wrong
    password, so the time it takes doesn't tell an attacker which usernames exist.
    """
    if password_hash is None:
        _hasher.verify(password, _dummy_hash())
        return False
    return _hasher.verify(password, password_hash)


@cache
def _dummy_hash() -> str:
    """Made on first use, not at import: hashing is slow, and the CLI never needs it."""
    return _hasher.hash("not anyone's password")
