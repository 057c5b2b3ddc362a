"""Secrets in the learner's files and in every commit of their history (detect-secrets).

detect-secrets (pinned) runs in the checker's own process over text it reads itself: the
tracked files of the pristine copy, and every line any commit ever added (`git log --all
-p`, written by git to a file, so a long history is never cut). Its default plugins flag
the course's own reference 22 times (keywords such as `password =` in tests, high-entropy
hashes in uv.lock, example URLs), so the checker keeps the plugins that recognise a real
credential by its format (cloud and service keys, tokens, private keys, JWTs), and basic
auth in URLs only where the host is reachable from elsewhere: `user:pw@localhost` or
`@db` (a compose service) is a development value, `@db.example.org` is a leak. Inline
`pragma: allowlist secret` comments are not honoured: none of these formats is ever a
false positive a learner needs to keep (ADR 0019). The secret itself is never shown:
reports are published (a CI summary), so a finding shows its kind, place and first
characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from detect_secrets.core import scan  # scan's line functions are what scan_file uses
from detect_secrets.filters import heuristic
from detect_secrets.settings import get_plugins, transient_settings

PLUGINS = (
    "AWSKeyDetector",
    "ArtifactoryDetector",
    "AzureStorageKeyDetector",
    "BasicAuthDetector",
    "CloudantDetector",
    "DiscordBotTokenDetector",
    "GitHubTokenDetector",
    "GitLabTokenDetector",
    "IbmCloudIamDetector",
    "IbmCosHmacDetector",
    "JwtTokenDetector",
    "MailchimpDetector",
    "NpmDetector",
    "OpenAIDetector",
    "PrivateKeyDetector",
    "PypiTokenDetector",
    "SendGridDetector",
    "SlackDetector",
    "SoftlayerDetector",
    "SquareOAuthDetector",
    "StripeDetector",
    "TelegramBotTokenDetector",
    "TwilioKeyDetector",
)
FILTERS = (  # detect-secrets' heuristics, without the allowlist pragma
    "detect_secrets.filters.heuristic.is_sequential_string",
    "detect_secrets.filters.heuristic.is_potential_uuid",
    "detect_secrets.filters.heuristic.is_likely_id_string",
    "detect_secrets.filters.heuristic.is_templated_secret",
    "detect_secrets.filters.heuristic.is_prefixed_with_dollar_sign",
    "detect_secrets.filters.heuristic.is_indirect_reference",
    "detect_secrets.filters.heuristic.is_lock_file",
    "detect_secrets.filters.heuristic.is_swagger_file",
    f"{__name__}.is_local_password",
)
CANARY = "canary-Pw-"  # the prefix of the passwords the checks of stages 4-5 sign up with
ENV_FILE = re.compile(r"(^|/)\.env(\.[\w.-]+)?$")
ENV_TEMPLATE = re.compile(r"\.env\.(example|sample|template|dist)$")
MAX_FILE_BYTES = 1_000_000  # past this a file is data, not code or configuration
MAX_LINE = 4000  # a minified line: its start is where a key would be
LOCAL_HOSTS = {"localhost", "127.0.0.1", "0.0.0.0", "::1", "[::1]"}
PLACEHOLDER_DOMAINS = (".local", ".internal", ".test", ".example", ".invalid", ".localhost")


@dataclass(frozen=True)
class Finding:
    kind: str  # detect-secrets' name for it: "AWS Access Key"
    path: str
    line: int
    commit: str = ""  # the commit that added it, for a finding in the history
    shown: str = ""  # its first characters, never the whole secret
    key: str = ""  # what identifies the secret itself (its hash), to match tree and history

    def where(self) -> str:
        place = f"{self.path}:{self.line}" if self.line else self.path
        return f"{place} (commit {self.commit[:10]})" if self.commit else place

    def __str__(self) -> str:
        return f"{self.kind} in {self.where()}: {self.shown}"


def is_local_password(secret: str, line: str, plugin: object) -> bool:
    """A detect-secrets filter: a password in a URL to this machine or a compose service
    (`user:pw@localhost`, `@db:5432`, `@host`) is a development value, not a leak."""
    if getattr(plugin, "secret_type", "") != "Basic Auth Credentials":
        return False
    for match in re.finditer(re.escape(f":{secret}@") + r"([^\s/:?#'\"`,;)]*)", line):
        host = match.group(1).lower()
        if host in LOCAL_HOSTS or "." not in host or host.endswith(PLACEHOLDER_DOMAINS):
            return True
        if re.search(r"(^|\.)example\.(com|org|net)$", host):
            return True
    return False


def _masked(secret: str) -> str:
    return f"{secret[:4]}… ({len(secret)} characters)" if len(secret) > 8 else "…"


def _scan_lines(path: str, lines: list[tuple[int, str]]) -> Iterator[tuple[str, int, str, str]]:
    """(kind, line, shown, key) of each secret in `lines` of the file `path`."""
    if heuristic.is_non_text_file(path) or heuristic.is_lock_file(path):
        return  # the filters on names alone (scan_file's others need the file on disk)
    # detect-secrets spends most of its time calling each plugin on each line; its own
    # regexes, searched first, leave it the few lines where a secret can be (10x faster).
    patterns = _patterns()
    clipped = [
        (number, text[:MAX_LINE])
        for number, text in lines
        if any(pattern.search(text[:MAX_LINE]) for pattern in patterns)
    ]
    for secret in scan._process_line_based_plugins(lines=clipped, filename=path):
        shown = _masked(secret.secret_value or "")
        yield secret.type, secret.line_number, shown, secret.secret_hash
    for number, text in lines:
        if CANARY in text:
            yield "the checker's canary password", number, f"{CANARY}…", CANARY


def _patterns() -> list[re.Pattern[str]]:
    """Every regex the active plugins look for (inside `transient_settings`)."""
    return [regex for plugin in get_plugins() for regex in getattr(plugin, "denylist", ())]


def settings() -> dict[str, object]:
    return {
        "plugins_used": [{"name": name} for name in PLUGINS],
        "filters_used": [{"path": path} for path in FILTERS],
    }


def scan_tree(root: Path, tracked: list[str]) -> list[Finding]:
    """Secrets in the tracked files under `root`, as they are now."""
    found = []
    with transient_settings(settings()):
        for name in tracked:
            path = root / name
            if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
                continue
            text = path.read_bytes()
            if b"\0" in text[:8000]:
                continue  # binary
            lines = list(enumerate(text.decode("utf-8", errors="replace").splitlines(), 1))
            for kind, line, shown, key in _scan_lines(name, lines):
                found.append(Finding(kind, name, line, shown=shown, key=key))
    return found


@dataclass
class History:
    """What every commit added: lines by (commit, path), and the paths ever added."""

    added: dict[tuple[str, str], list[tuple[int, str]]]
    paths: dict[str, str]  # path -> the first commit (oldest seen) that added it


def read_log(text: str) -> History:
    """Parse `git log --all -p -U0 --format=commit %H` (see `LOG_ARGS`)."""
    added: dict[tuple[str, str], list[tuple[int, str]]] = {}
    paths: dict[str, str] = {}
    commit = path = ""
    remaining = 0
    number = 0
    for line in text.split("\n"):
        if remaining > 0 and (line.startswith("+") or line.startswith("-")):
            if line.startswith("+"):
                added.setdefault((commit, path), []).append((number, line[1:]))
                number += 1
                remaining -= 1
            continue
        remaining = 0
        if line.startswith("commit ") and re.fullmatch(r"commit [0-9a-f]{40}", line):
            commit = line.split()[1]
        elif line.startswith("diff --git "):
            path = _unquote(line.rsplit(" b/", 1)[-1]) if " b/" in line else ""
            paths[path] = commit  # log lists newest first: the last seen is the oldest
        elif line.startswith("+++ "):
            target = line[4:]
            path = _unquote(target[2:]) if target.startswith(("b/", '"b/')) else path
        elif line.startswith("@@ "):
            hunk = re.match(r"@@ -\S+ \+(\d+)(?:,(\d+))? @@", line)
            if hunk:
                number = int(hunk.group(1))
                remaining = int(hunk.group(2)) if hunk.group(2) is not None else 1
    return History(added, paths)


def _unquote(path: str) -> str:
    return path.strip('"').removeprefix("b/")


LOG_ARGS = (
    "-c",
    "core.quotePath=false",
    "log",
    "--all",
    "-p",
    "-U0",
    "--no-color",
    "--no-ext-diff",
    "--no-textconv",
    "--no-renames",
    "--format=commit %H",
)


def scan_history(history: History) -> list[Finding]:
    """Secrets in the lines any commit added, one finding per secret (its oldest commit)."""
    found: dict[tuple[str, str], Finding] = {}
    with transient_settings(settings()):
        for (commit, path), lines in history.added.items():
            for kind, line, shown, key in _scan_lines(path, lines):
                found[(key, path)] = Finding(kind, path, line, commit, shown, key)
    return list(found.values())


def env_files_committed(history: History) -> dict[str, str]:
    """`.env` files (not `.env.example` and the like) any commit added, with the commit."""
    return {
        path: commit
        for path, commit in history.paths.items()
        if ENV_FILE.search(path) and not ENV_TEMPLATE.search(path)
    }
