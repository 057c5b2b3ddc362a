"""Is this a secret written into a file? Names that hold secrets, values that are real.

A variable named like a secret (`SECRET_KEY`, `POSTGRES_PASSWORD`, `API_TOKEN`) holds one
when its value is written out: not taken from a variable (`${POSTGRES_PASSWORD:?}`), not
a placeholder (`change-me`, `<your key>`), not a number. A URL holds one when its password
part is written out (`postgresql://app:hunter2@db/app`).
"""

from __future__ import annotations

import re

SECRET_PARTS = {"SECRET", "PASSWORD", "PASSWD", "PWD", "PASS", "TOKEN", "KEY", "APIKEY"}
SECRET_PARTS |= {"CREDENTIALS", "PRIVATE", "SECRETS"}
# A last part that makes the variable about a secret, not the secret itself.
NOT_THE_SECRET = {"MINUTES", "SECONDS", "HOURS", "DAYS", "TTL", "EXPIRE", "EXPIRES", "EXPIRY"}
NOT_THE_SECRET |= {"LIFETIME", "ALGORITHM", "ALG", "FILE", "PATH", "DIR", "LENGTH", "LEN"}
NOT_THE_SECRET |= {"SIZE", "NAME", "HEADER", "TYPE", "ID", "ENV", "PROVIDER", "METHOD", "URL"}
NOT_THE_SECRET |= {"HOST", "PORT", "USER", "USERNAME"}
PLACEHOLDER = re.compile(
    r"(?i)^(change[-_ ]?me.*|replace[-_ ]?(me|this).*|.*example.*|placeholder.*|dummy.*|"
    r"x{3,}|\*+|<[^>]*>|your[-_ ].*|set[-_ ]?(me|it|this).*|todo.*|none|null|secret|"
    r"password|not[-_ ]?set|unset|dev|development|test|insecure.*)$"
)
URL_PASSWORD = re.compile(r"[a-z][\w+.-]*://[^:/@\s]*:([^@/\s]+)@")
VARIABLE = re.compile(r"\$(\{?[A-Za-z_])")


def secret_name(name: str) -> bool:
    parts = [part for part in re.split(r"[^A-Za-z0-9]+", name.upper()) if part]
    if not parts or parts[-1] in NOT_THE_SECRET:
        return False
    return any(part in SECRET_PARTS or part.endswith(("PASSWORD", "SECRET")) for part in parts)


def literal(value: str) -> bool:
    """A value written out, not taken from elsewhere and not a placeholder."""
    text = value.strip().strip("\"'")
    if not text or VARIABLE.search(text) or PLACEHOLDER.match(text):
        return False
    return not re.fullmatch(r"[\d.]+|true|false|yes|no|on|off", text, re.I)


def url_password(value: str) -> str | None:
    """The password written in a URL of `value`, or None (none, or from a variable)."""
    for match in URL_PASSWORD.finditer(value):
        if literal(match.group(1)):
            return match.group(1)
    return None


def holds_secret(name: str, value: str | None) -> bool:
    """Whether `name=value`, as written, puts a secret in the file."""
    if value is None:
        return False
    return (secret_name(name) and literal(value)) or url_password(value) is not None


def masked(value: str) -> str:
    text = value.strip()
    return f"{text[:3]}… ({len(text)} characters)" if len(text) > 6 else "…"
