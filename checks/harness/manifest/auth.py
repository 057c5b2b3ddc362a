"""`[tool.roadmap.auth]` (stage 4 on): how users register, log in and are checked.

Conventions are the defaults (the OAuth2 password flow with a form body, bearer JWTs
signed with HS256, `SECRET_KEY`), so a project that follows them writes only its paths;
one that differs (email login, a JSON login body) says so here.
"""

from __future__ import annotations

from dataclasses import dataclass

from checks.harness.manifest.table import EXAMPLES, Table

TOKEN_BODIES = ("form", "json")
LOGIN_FIELDS = ("username", "email")
ALGORITHMS = ("HS256", "HS384", "HS512")

EXAMPLES |= {
    "auth": 'register = "/v1/users" under [tool.roadmap.auth]',
    "auth.register": 'register = "/v1/users"',
    "auth.token": 'token = "/v1/auth/token"',
    "auth.token_body": 'token_body = "form"',
    "auth.me": 'me = "/v1/users/me"',
    "auth.admin_only": 'admin_only = "/v1/users"',
    "auth.login_field": 'login_field = "username"',
    "auth.password_field": 'password_field = "password"',
    "auth.secret_env": 'secret_env = "SECRET_KEY"',
    "auth.lifetime_env": 'lifetime_env = "ACCESS_TOKEN_EXPIRE_MINUTES"',
    "auth.algorithm": 'algorithm = "HS256"',
    "auth.mode_env": 'mode_env = { name = "APP_ENV", development = "development" }',
    "auth.create_admin": 'create_admin = ["create-admin", "--username", "{username}", '
    '"--password", "{password}"]',
    "auth.cli_user_env": 'cli_user_env = "EXPENSE_TRACKER_USER"',
    "auth.min_password": "min_password = 8",
    "auth.sign_up": 'sign_up = { full_name = "Ada Lovelace" }',
}


@dataclass(frozen=True)
class Auth:
    register: str  # POST: a new user
    token: str  # POST: log in
    me: str  # GET: the logged-in user
    admin_only: str  # GET: a route only an admin may use
    token_body: str = "form"  # "form" (OAuth2 password flow) or "json"
    login_field: str = "username"  # what names the user at sign-up and login
    password_field: str = "password"
    secret_env: str = "SECRET_KEY"
    lifetime_env: str = "ACCESS_TOKEN_EXPIRE_MINUTES"  # minutes
    algorithm: str = "HS256"
    mode_env: str = "APP_ENV"
    development: str = "development"  # mode_env's value that allows a missing secret
    create_admin: tuple[str, ...] = ()  # CLI arguments with {username} and {password}
    cli_user_env: str | None = None  # the variable naming the user the CLI acts as
    min_password: int = 8
    sign_up: tuple[tuple[str, str], ...] = ()  # extra sign-up fields and their values


def read(table: Table, has_cli: bool = True) -> Auth:
    """The section; `create_admin` is required with a CLI (admins come from the CLI, never
    from public sign-up), so a project without one has no admin checks."""
    mode = table.table("mode_env") if "mode_env" in table else None
    if not has_cli and "create_admin" not in table:
        create_admin: tuple[str, ...] = ()
    else:
        create_admin = tuple(table.get("create_admin", list))
    for placeholder in ("{username}", "{password}") if create_admin else ():
        if not any(placeholder in arg for arg in create_admin):
            raise table.fail("create_admin", f"has no {placeholder} placeholder")
    sign_up = table.get("sign_up", dict) if "sign_up" in table else {}
    return Auth(
        register=_path(table, "register", "/users"),
        token=_path(table, "token", "/token"),
        me=_path(table, "me", "/users/me"),
        admin_only=_path(table, "admin_only", "/users"),
        token_body=table.choice("token_body", TOKEN_BODIES, "form"),
        login_field=table.get("login_field", str, "username"),
        password_field=table.get("password_field", str, "password"),
        secret_env=table.get("secret_env", str, "SECRET_KEY"),
        lifetime_env=table.get("lifetime_env", str, "ACCESS_TOKEN_EXPIRE_MINUTES"),
        algorithm=table.choice("algorithm", ALGORITHMS, "HS256"),
        mode_env=mode.get("name", str, "APP_ENV") if mode else "APP_ENV",
        development=mode.get("development", str, "development") if mode else "development",
        create_admin=create_admin,
        cli_user_env=table.optional("cli_user_env", str),
        min_password=table.get("min_password", int, 8),
        sign_up=tuple((str(k), str(v)) for k, v in sign_up.items()),
    )


def _path(table: Table, key: str, default: str) -> str:
    path: str = table.get(key, str, default)
    if not path.startswith("/"):
        raise table.fail(key, f"must be a path that starts with /, not {path!r}")
    return path
