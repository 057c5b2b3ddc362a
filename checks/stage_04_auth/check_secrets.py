"""Secrets: the signing key comes from the environment, and passwords are stored hashed."""

import re

from checks.harness.catalog import check
from checks.harness.doors.http import accounts
from checks.harness.doors.http.resource import LearnerApi
from checks.harness.doors.http.startup import require_refusal
from checks.harness.doors.storage import Storage
from checks.harness.failure import CheckFailed, shown_output
from checks.harness.manifest import Manifest
from checks.harness.settings import Settings
from checks.harness.values import new_password
from checks.harness.workspace import Workspace

# What a stored password hash looks like: Argon2 (PHC string) or bcrypt (modular crypt).
HASHES = re.compile(
    r"^\$(argon2(id|i|d)\$v=\d+\$m=\d+,t=\d+,p=\d+\$[\w+/.=-]+\$[\w+/.=-]+|2[abxy]\$\d\d\$[./\w]{53})$"
)
CANARY = "canary-Pw-{}-not-stored"


@check("no-default-secret")
def check_no_default_secret(
    installed: Workspace, manifest: Manifest, storage: Storage, run_settings: Settings
) -> None:
    """Without its secret key, outside development mode, your app exits naming the variable.

    Why: an app that falls back to a default key signs tokens everyone can forge (the
    default is in your repository). Refusing to start is the only safe default, and the
    last line is what the person deploying reads (OWASP API8:2023, security misconfiguration).

    Fix: read the key with pydantic-settings (no default, or a placeholder you reject),
    and raise at start-up, outside development mode, with a message that names
    {secret_env}.
    """
    auth = manifest.require_auth()
    require_refusal(manifest, installed, storage, run_settings.timeout, auth.secret_env)


HASHED = "04-auth/passwords-stored-hashed"


@check("passwords-stored-hashed")
def check_passwords_stored_hashed(stranger_api: LearnerApi, manifest: Manifest) -> None:
    """A password never appears in the database, and what is stored is an Argon2 or bcrypt hash.

    Why: databases leak: backups, a stolen laptop, an SQL injection. Stored in plain text
    (or with a fast hash like SHA-256), every password is read or cracked at once, and
    users reuse them elsewhere (OWASP ASVS V2.4).

    Fix: hash with pwdlib (`PasswordHash.recommended()`, Argon2) when a user signs up,
    store only the hash, and verify with `password_hash.verify(password, stored)`.
    """
    api = stranger_api  # not logged in: this check signs its users up itself
    auth = manifest.require_auth()
    name = accounts.new_name(auth, "canary")
    password = CANARY.format(name.split("@")[0])
    accounts.sign_up(api, name, password).expect(
        201, doing="signing up a user", step=accounts.REGISTER
    )
    rows = api.storage.rows()
    cells = [str(cell) for row in rows for cell in row if cell is not None]
    if password in api.served.log_tail():
        raise CheckFailed(
            "the password appears in your server's log",
            ran=f"sign up as {name}, then read what the server printed",
            got="a log line holds the password",
            expected="no password in any log: logs are read by many and kept long",
        )
    if any(password in cell for cell in cells):
        raise CheckFailed(
            "the password is stored as it was typed",
            ran=f"sign up as {name}, then read every table of the database",
            got="a column holds the password itself",
            expected="only a salted, slow hash of it (Argon2 or bcrypt)",
        )
    user_rows = [row for row in rows if name in (str(cell) for cell in row)]
    hashes = [str(c) for row in user_rows for c in row if HASHES.match(str(c))]
    if not hashes:
        raise CheckFailed(
            "the user's row holds no Argon2 or bcrypt hash",
            ran=f"sign up as {name}, then read every table of the database",
            got=shown_output(
                " | ".join(str(c) for c in user_rows[0]) if user_rows else f"no row with {name}",
                400,
            ),
            expected="a hash such as $argon2id$v=19$m=65536,t=3,p=4$... or $2b$12$...",
        )


@check("password-hashes-are-salted")
def check_password_hashes_are_salted(stranger_api: LearnerApi, manifest: Manifest) -> None:
    """Two users with the same password get different stored hashes.

    Why: without a random salt per password, equal passwords have equal hashes: one
    cracked hash opens every account that shares it, and precomputed tables crack the
    common ones at once (OWASP ASVS V2.4).

    Fix: let the hasher make the salt (`PasswordHash.recommended().hash(password)` draws
    a new one each time); never pass a fixed salt or hash with a plain function.
    """
    api = stranger_api  # not logged in: this check signs its users up itself
    auth, password = manifest.require_auth(), new_password()
    names = [accounts.new_name(auth, "twin") for _ in range(2)]
    for name in names:
        accounts.sign_up(api, name, password).expect(
            201, doing="signing up a user", step=accounts.REGISTER
        )
    rows = api.storage.rows()
    hashes = [
        {
            str(cell)
            for row in rows
            if name in map(str, row)
            for cell in row
            if HASHES.match(str(cell))
        }
        for name in names
    ]
    if not (hashes[0] and hashes[1]):  # compared only as Argon2 or bcrypt hashes are
        raise CheckFailed(
            "the users' rows hold no Argon2 or bcrypt hash to compare",
            ran=f"sign up {names[0]} and {names[1]} with one password, then read the database",
            expected="a salted, slow hash of each password",
            step=HASHED,
        )
    if hashes[0] == hashes[1]:
        raise CheckFailed(
            "two users with the same password have the same stored hash",
            ran=f"sign up {names[0]} and {names[1]} with one password, then read the database",
            got=sorted(hashes[0])[0],
            expected="two different hashes: each with a salt of its own",
        )
