"""Stage 4 · 04-auth: users, logins, ownership and migrations, on PostgreSQL."""

MODULES = ("manifest", "migrations", "accounts", "tokens", "ownership", "secrets")

# The brief's milestones ("### N. title" in stages/04-auth/README.md), each with the checks
# that grade what it builds (1, PostgreSQL on your machine, and 8, the learner's own CI,
# have none of their own: stages 1-3's checks running on PostgreSQL grade the first).
# The admin comes in milestone 3 because the checks of later milestones act as them.
MILESTONES = {
    1: ("PostgreSQL on your machine, and your stage-3 code on it", ("manifest-table",)),
    2: (
        "Alembic owns the schema",
        (
            "migrations-upgrade",
            "migrations-match-the-models",
            "one-head-and-a-round-trip",
            "app-creates-no-tables",
        ),
    ),
    3: (
        "Users, hashed passwords, and the first admin",
        ("admin-from-the-cli", "passwords-stored-hashed", "password-hashes-are-salted"),
    ),
    4: (
        "Sign-up over the API",
        (
            "register-answers-201",
            "duplicate-user-409",
            "short-password-422",
            "sign-up-grants-no-admin",
        ),
    ),
    5: (
        "Log in, and a secret the app won't start without",
        (
            "login-returns-a-bearer-token",
            "wrong-password-401",
            "no-user-enumeration",
            "tokens-expire",
            "no-default-secret",
        ),
    ),
    6: (
        "The current user on every request",
        (
            "requests-need-a-token",
            "forged-tokens-401",
            "alg-none-401",
            "expired-token-401",
            "deleted-user-token-401",
        ),
    ),
    7: (
        "Every record has an owner",
        (
            "others-records-are-404",
            "others-records-hidden",
            "others-cannot-change",
            "list-shows-only-own",
            "owner-not-from-body",
            "admin-only-route-403",
            "admin-sees-all",
        ),
    ),
}
