"""`[tool.roadmap.auth]` (stage 4 on): how users register, log in and are checked.

Conventions are the defaults (the OAuth2 password flow with a form body, bearer JWTs
signed with HS256, `SECRET_KEY`), so a project that follows them writes only its paths;
one that differs (email login, a JSON login body) says so here.
"""

from __future__ import annotations

import secrets
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
    "auth.admin_command": 'admin_command = ["python", "-m", "notes.create_admin", '
    '"{username}", "{password}"]',
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
    admin_command: tuple[str, ...] = ()  # or a whole command line, for a project without a CLI
    cli_user_env: str | None = None  # the variable naming the user the CLI acts as
    min_password: int = 8
    sign_up: tuple[tuple[str, str], ...] = ()  # extra sign-up fields and their values

    @property
    def makes_admins(self) -> bool:
        """Whether the manifest says how to make an admin (the CLI, or a command)."""
        return bool(self.create_admin or self.admin_command)

    def new_login(self, hint: str = "user") -> str:
        """A login no one has yet, of the kind the login field takes (a name, an e-mail)."""
        token = secrets.token_hex(4)
        return f"{hint}-{token}@example.com" if self.login_field == "email" else f"{hint}_{token}"


def read(table: Table, has_cli: bool = True) -> Auth:
    """The section. Admins come from whoever runs the system, never from public sign-up:
    `create_admin` (arguments of the CLI) says how with a CLI unless `admin_command` (a
    whole command line) does; a project without a CLI may declare the latter. A login
    declared before stage 4 needs no admin: `Manifest.require_for` asks for one from 4."""
    mode = table.table("mode_env") if "mode_env" in table else None
    admin_command = tuple(table.get("admin_command", list)) if "admin_command" in table else ()
    if "create_admin" in table and admin_command:
        raise table.fail("create_admin", "and admin_command both say how to make an admin; "
                         "keep one")  # fmt: skip
    if "create_admin" in table and not has_cli:
        raise table.fail(
            "create_admin",
            "runs your CLI, and this project has none (cli = false); say the whole command "
            "with admin_command instead",
        )
    needed = has_cli and not admin_command and "create_admin" in table
    create_admin = tuple(table.get("create_admin", list)) if needed else ()
    for key, args in (("create_admin", create_admin), ("admin_command", admin_command)):
        for placeholder in ("{username}", "{password}") if args else ():
            if not any(placeholder in arg for arg in args):
                raise table.fail(key, f"has no {placeholder} placeholder")
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
        admin_command=admin_command,
        cli_user_env=table.optional("cli_user_env", str),
        min_password=table.get("min_password", int, 8),
        sign_up=tuple((str(k), str(v)) for k, v in sign_up.items()),
    )


def require_admins(auth: Auth, has_cli: bool) -> None:
    """From stage 4 the checks act as an admin: a project with a CLI says how to make one."""
    if has_cli and not auth.makes_admins:
        raise Table("tool.roadmap.auth", {}).fail(
            "create_admin", "is missing; from stage 4 your CLI makes the first admin"
        )


def _path(table: Table, key: str, default: str) -> str:
    path: str = table.get(key, str, default)
    if not path.startswith("/"):
        raise table.fail(key, f"must be a path that starts with /, not {path!r}")
    return path
