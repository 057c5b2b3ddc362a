"""What the fuzzer found, in the learner's terms: a curl line to paste and a one-line reason.

schemathesis reproduces each failure as a curl line against the port the checker chose,
with the real token; a report shows the address a learner's own server listens on
(uvicorn's default, as every other check shows it) and `$TOKEN_FUZZER` for the token, as
the login lines before it do. The reason is one sentence per kind of failure, then
schemathesis' own words for the details.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from checks.harness.doors.http.client import SHOWN_URL
from checks.harness.failure import CheckFailed, clip, shown_output

TRACEBACK = "Traceback (most recent call last)"
CHAINED = ("The above exception was the direct cause", "During handling of the above exception")
DATA_OPTIONS = ("-d", "--data", "--data-raw", "--data-binary", "--data-urlencode", "-F", "--form")
SHOWN_FINDINGS = 3  # findings a failure lists in full; the count says how many in all
FRAME = re.compile(r'^\s*File "(?P<path>[^"]+)", line \d+')
EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b|^\w+Error:")


@dataclass(frozen=True)
class Finding:
    """One failed check on one request the fuzzer sent."""

    check: str  # schemathesis' name: not_a_server_error, ignored_auth, ...
    operation: str  # "POST /v1/expenses"
    title: str  # schemathesis' title of the failure
    message: str  # its details
    curl: str  # as a report shows it: the learner's port, $TOKEN
    status: int | None
    body: str

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Finding:
        return cls(**{name: data.get(name) for name in cls.__dataclass_fields__})  # type: ignore[arg-type]

    @property
    def reason(self) -> str:
        """What went wrong, in one line."""
        status = f"{self.status}" if self.status is not None else "no answer"
        detail = _first_line(self.message)
        if self.check == "not_a_server_error":
            return f"{self.operation} answered {status}: a server error"
        if self.check == "response_schema_conformance":
            return f"{self.operation} answered {status} with a body off its schema: {detail}"
        if self.check == "ignored_auth":
            return f"{self.operation} answered {status} without a valid token"
        if self.check == "status_code_conformance":
            documented = re.search(r"Documented:\s*(.+)", self.message)
            listed = f" (it documents {documented[1].strip()})" if documented else ""
            return f"{self.operation} answered {status}, a status it does not document{listed}"
        if self.check == "positive_data_acceptance":
            return f"{self.operation} refused a request its own schema allows, with {status}"
        return f"{self.operation}: {self.title}"

    def described(self) -> str:
        """What came back, as a report's "got" shows it."""
        body = f"; body: {shown_output(self.body, 300)}" if self.body.strip() else "; no body"
        extra = ""
        if self.check == "response_schema_conformance":
            extra = f"\n  {clip(self.message, 400)}"
        return f"{self.status if self.status is not None else 'no answer'}{body}{extra}"


# The fuzzer's user logs in on the lines before (accounts.new_user(..., "fuzzer")), which
# capture its token in this variable; the curl lines use it, in double quotes to expand.
TOKEN_SHOWN = "$TOKEN_FUZZER"


def shown_curl(curl: str, base_url: str, token: str | None) -> str:
    """schemathesis' reproduction as the checker's other lines show a request: `curl -i`,
    the method, the learner's own address, then the headers and the body, with
    `$TOKEN_FUZZER` for the login's token. A failure found by a sequence of requests (its
    stateful phase) is reproduced by one curl line per request, each shown alike."""
    lines = [line for line in curl.splitlines() if line.strip()]
    return "\n".join(
        _shown_command(line, base_url, token) if line.startswith("curl") else _hidden(line, token)
        for line in lines
    )


def _hidden(text: str, token: str | None) -> str:
    return text.replace(token, TOKEN_SHOWN) if token else text


def _shown_command(curl: str, base_url: str, token: str | None) -> str:
    hidden = _hidden(curl, token)
    try:
        words = shlex.split(hidden)
    except ValueError:  # not one command: show it as it came, the token hidden
        return hidden
    method, url, rest = "GET", "", []
    pairs = iter(words[1:])
    for word in pairs:
        if word in ("-X", "--request"):
            method = next(pairs, method)
        elif word in ("-H", "--header"):
            name, _, value = next(pairs, "").partition(":")
            rest += ["-H", f"{name.lower()}:{value}"]
        elif word in DATA_OPTIONS:
            rest += [word, next(pairs, "")]
        elif word.startswith(base_url) and not url:
            url = SHOWN_URL + word[len(base_url) :]
        else:
            rest.append(word)
    shown = ["curl", "-i", *(["-X", method] if method != "GET" else []), url, *rest]
    return " ".join(_quoted(word) for word in shown if word)


def _quoted(word: str) -> str:
    """A word as a shell reads it, the token's variable left to expand."""
    if TOKEN_SHOWN not in word:
        return shlex.quote(word)
    before, _, after = word.partition(TOKEN_SHOWN)
    return '"' + _in_double_quotes(before) + TOKEN_SHOWN + _in_double_quotes(after) + '"'


def _in_double_quotes(text: str) -> str:
    return "".join("\\" + c if c in '"$`\\' else c for c in text)


def tracebacks(lines: list[str], packages: tuple[str, ...], limit: int = 2) -> list[str]:
    """The first distinct tracebacks in a server's output (a 5xx's cause), as Python
    prints them or inside a JSON log record, each cut to the frames of the learner's own
    packages and the exceptions: the frames of uvicorn, Starlette, FastAPI or SQLAlchemy
    say nothing a learner can fix."""
    found: list[str] = []
    for text in _traceback_texts(lines):
        shown = _own_frames(text.splitlines(), packages)
        if shown not in found:
            found.append(shown)
        if len(found) >= limit:
            break
    return found


def _traceback_texts(lines: list[str]) -> Iterator[str]:
    block: list[str] = []
    for line in lines:
        if block and not _continues(line):
            yield "\n".join(block)
            block = []
        if TRACEBACK in line and line.lstrip().startswith("{"):
            yield from _from_json(line)
        elif TRACEBACK in line or block:
            block.append(line)
    if block:
        yield "\n".join(block)


def _continues(line: str) -> bool:
    """Whether a line is still part of a traceback: a frame, an exception, a chain."""
    stripped = line.strip()
    return (
        not stripped
        or line.startswith((" ", "\t"))
        or TRACEBACK in line
        or stripped.startswith(CHAINED)
        or bool(EXCEPTION_LINE.match(stripped))
    )


def _from_json(line: str) -> Iterator[str]:
    """The tracebacks in a JSON log record (a stage-5 app logs its errors so)."""
    try:
        record = json.loads(line)
    except ValueError:
        return
    if isinstance(record, dict):
        yield from (v for v in record.values() if isinstance(v, str) and TRACEBACK in v)


def _own_frames(block: list[str], packages: tuple[str, ...]) -> str:
    """A traceback with only the learner's frames, their paths from the package folder
    (`expense_tracker/api/routes/expenses.py`, wherever it was installed), and every
    exception of its chain."""
    kept, own, left_out = [TRACEBACK + ":"], False, 0
    for line in block:
        stripped = line.strip()
        frame = FRAME.match(line)
        if frame:
            path = frame["path"]
            start = min((path.rfind(f"/{p}/") for p in packages if f"/{p}/" in path), default=-1)
            own = start >= 0
            if own:
                kept.append(line.replace(path, path[start + 1 :]))
            else:
                left_out += 1
        elif not stripped or TRACEBACK in line:
            own = False
        elif line.startswith((" ", "\t")):
            if own and not set(stripped) <= set("^~ "):
                kept.append(line)
        else:  # an exception, or the words that chain one to the next
            own = False
            kept.append(stripped)
    if left_out:
        frames = f"{left_out} frame{'s' if left_out > 1 else ''}"
        kept.insert(1, f"  ({frames} of the libraries it ran through left out)")
    return "\n".join(kept)


def failure(
    findings: list[Finding],
    *,
    problem: str,
    expected: str,
    fix: str | None = None,
    server_said: list[str] = (),  # type: ignore[assignment]
) -> CheckFailed:
    """One check's failure: the findings as commented curl lines, and what came back."""
    shown = findings[:SHOWN_FINDINGS]
    ran = "\n".join(f"# {n}. {f.reason}\n{f.curl}" for n, f in enumerate(shown, 1))
    got = "\n".join(f"{n}. {f.described()}" for n, f in enumerate(shown, 1))
    if len(findings) > len(shown):
        got += f"\n… and {len(findings) - len(shown)} more like them"
    if server_said:
        got += "\nyour server's output:\n" + "\n".join(clip(t, 1200) for t in server_said)
    return CheckFailed(problem, ran=ran, got=got, expected=expected, fix=fix)


def try_lines(findings: list[Finding]) -> list[str]:
    """The findings as lines to paste after the login: a comment, then the curl."""
    lines: list[str] = []
    for n, finding in enumerate(findings[:SHOWN_FINDINGS], 1):
        lines += [f"# {n}. {finding.reason}", finding.curl]
    return lines


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")[:200]
