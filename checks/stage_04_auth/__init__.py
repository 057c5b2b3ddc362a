"""Stage 4 · 04-auth: users, logins, ownership and migrations, on PostgreSQL."""

MODULES = ("manifest", "migrations", "accounts", "tokens", "ownership", "secrets")

# The brief's milestones ("### N. title" in stages/04-auth/README.md), each with the checks
# that pass once it is built: the brief lists them under "Turns green", and a learner who
# has built milestones 1..N sees every check of those milestones pass. So a check sits
# where the last piece it stands on is built, not where its subject first appears: the
# admin's check needs a login and the admins' route (7), and a taken name is only tried
# once the sign-up can log in (5). Milestones 3 (users, before any door reaches them) and
# 10 (the learner's own tests and CI) turn no check green of their own.
MILESTONES = {
    1: ("PostgreSQL on your machine, and your stage-3 code on it", ("manifest-table",)),
    2: (
        "Alembic owns the schema",
        ("migrations-upgrade", "migrations-match-the-models", "one-head-and-a-round-trip"),
    ),
    4: (
        "Sign-up, and the first admin from the CLI",
        (
            "register-answers-201",
            "short-password-422",
            "passwords-stored-hashed",
            "password-hashes-are-salted",
        ),
    ),
    5: (
        "Log in with the OAuth2 password flow",
        (
            "wrong-password-401",
            "no-user-enumeration",
            "tokens-expire",
            "duplicate-user-409",
            "sign-up-grants-no-admin",
            "app-creates-no-tables",
        ),
    ),
    6: ("A secret the app won't start without", ("no-default-secret",)),
    7: (
        "The current user on every request",
        (
            "login-returns-a-bearer-token",
            "requests-need-a-token",
            "forged-tokens-401",
            "alg-none-401",
            "expired-token-401",
            "deleted-user-token-401",
            "admin-from-the-cli",
            "admin-only-route-403",
        ),
    ),
    8: ("Every record has an owner", ("owner-not-from-body",)),
    9: (
        "Only the owner sees a record, and the admin sees all",
        (
            "others-records-are-404",
            "others-records-hidden",
            "others-cannot-change",
            "list-shows-only-own",
            "admin-sees-all",
        ),
    ),
}
