"""An HTTP client for the learner's server that says what it sent, as `curl` lines.

The client is immutable: `with_transcript` and `with_auth` return a new client, so a
server shared by many checks never logs into the wrong check's transcript, and a login
(stage 4) is a value a check holds, not a state it has to remember to undo.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # httpx is imported where a request is sent: it costs 0.2 s at start-up
    import httpx

from checks.harness.catalog import DOCS_URL
from checks.harness.failure import CheckFailed, shown_output
from checks.harness.netns import run_network
from checks.harness.transcript import Step, Transcript

REQUEST_TIMEOUT = 10.0
MAX_BODY = 1_000_000  # an answer bigger than this is a flood, not a page of records
SHOWN_PORT = 8000  # reports show uvicorn's default port, not the free one the checker used
SHOWN_URL = f"http://127.0.0.1:{SHOWN_PORT}"
JSON_TYPE = "application/json"
FORM_TYPE = "application/x-www-form-urlencoded"
LOGIN_STATUSES = (401, 403)  # "who are you?" and "not you": answers about a login
AUTH_DOCS = f"{DOCS_URL}/reference/manifest/#stage-4-additions-users-logins-and-migrations"


class Endpoint(Protocol):
    """What a client needs of the server it talks to."""

    @property
    def url(self) -> str: ...

    @property
    def setup_lines(self) -> tuple[str, ...]: ...

    @property
    def teardown_lines(self) -> tuple[str, ...]: ...

    def alive(self) -> bool: ...

    def log_tail(self, settle: float = 0.0) -> str: ...


@dataclass(frozen=True)
class Answer:
    """One request and what came back, in the terms a report needs."""

    method: str
    path: str  # with its query string
    status: int
    reason: str
    text: str
    curl: str
    headers: tuple[tuple[str, str], ...] = ()
    step: Step | None = field(default=None, compare=False)  # in the check's transcript
    logged_in: bool = False  # the request carried a login's token

    @property
    def request(self) -> str:
        return f"{self.method} {self.path}"

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    def describe(self) -> str:
        body = f"; body: {shown_output(self.text, 400)}" if self.text.strip() else "; no body"
        return f"{self.status} {self.reason}{body}"

    def failure(
        self, problem: str, expected: str, fix: str | None = None, step: str | None = None
    ) -> CheckFailed:
        """A failure about this answer: the request as curl, what came back, what should."""
        return CheckFailed(
            problem, ran=self.curl, got=self.describe(), expected=expected, fix=fix, step=step
        )

    def json(self) -> Any:
        """The body as JSON; a body that is not JSON fails the check, saying so."""
        try:
            return json.loads(self.text)
        except json.JSONDecodeError:
            raise self.failure(
                f"{self.request} did not answer with JSON",
                expected=f"a JSON body (content-type: {JSON_TYPE})",
            ) from None

    def expect(
        self, *statuses: int, doing: str, fix: str | None = None, step: str | None = None
    ) -> None:
        """Fail unless the status is one of `statuses`. A 401 or 403 where the check
        expected something else is about a login, whatever the check's own fix says."""
        if self.status in statuses:
            return
        wanted = " or ".join(str(s) for s in statuses)
        problem = f"{self.request} answered {self.status} instead of {wanted} while {doing}"
        if self.status in LOGIN_STATUSES and not set(statuses) & set(LOGIN_STATUSES):
            problem, login_fix = self._about_the_login(problem)
            # Without a login the check's own fix ("answer 201") is beside the point.
            fix = login_fix if not self.logged_in else fix or login_fix
        raise self.failure(problem, expected=f"status {wanted}", fix=fix, step=step)

    def _about_the_login(self, problem: str) -> tuple[str, str]:
        """What a 401/403 means for a request the check expected to go through. Fixes may
        hold `{record}`-style placeholders: the report fills them in the learner's words."""
        if not self.logged_in:
            return (
                f"{problem}: the route wants a login, and the checker sent none",
                "the checker logs in only when your manifest says how: declare "
                "`[tool.roadmap.auth]` in pyproject.toml (its keys: register, token, "
                f"create_admin, …; see {AUTH_DOCS}). From stage 4 the checker then logs in, "
                "as the admin your create_admin command makes, before the stage-3 checks, and "
                "sends the token with every request. A route it calls without a login (sign-up "
                "and log-in, and every route before stage 4) must answer without one",
            )
        if self.status == 401:
            return (
                f"{problem}: the route did not accept the checker's login",
                "the checker logged in at your token route and sent the token it got "
                "(authorization: Bearer …): check the signature with the key from the variable "
                "`secret_env` names in [tool.roadmap.auth] (the checker sets it), and accept "
                "that header on this route",
            )
        return (
            f"{problem}: the route refused the logged-in user",
            "the checker sent a valid login's token: a user may use the {records} they own, "
            "and an admin every one; keep 403 for routes only an admin may use (another "
            "user's {record} answers 404)",
        )


@dataclass(frozen=True)
class Client:
    endpoint: Endpoint
    transcript: Transcript
    token: str | None = None  # a bearer token, sent with every request when set

    def with_transcript(self, transcript: Transcript) -> Client:
        return replace(self, transcript=transcript)

    def with_auth(self, token: str | None) -> Client:
        return replace(self, token=token)

    def curl(
        self,
        method: str,
        target: str,
        sent: str | None = None,
        form: bool = False,
        headers: dict[str, str] | None = None,
    ) -> str:
        """The request as a `curl` line, a login's token by its variable's name."""
        return self.transcript.command(self._curl_words(method, target, sent, form, headers))

    def _curl_words(
        self,
        method: str,
        target: str,
        sent: str | None = None,
        form: bool = False,
        headers: dict[str, str] | None = None,
    ) -> tuple[str, ...]:
        parts = ["curl", "-i"]
        if method != "GET":
            parts += ["-X", method]
        parts.append(SHOWN_URL + target)
        if self.token is not None:
            parts += ["-H", f"Authorization: Bearer {self.token}"]
        for name, value in (headers or {}).items():
            parts += ["-H", f"{name}: {value}"]
        if sent is not None:
            parts += ["-H", f"Content-Type: {FORM_TYPE if form else JSON_TYPE}", "-d", sent]
        return tuple(parts)

    def request(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        raw: str | None = None,
        form: dict[str, str] | None = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        server_errors: bool = False,
    ) -> Answer:
        """Send one request: `body` as JSON, `raw` text labelled as JSON, or a `form`, with
        `headers` of the check's own. A 5xx fails the check as a crash, unless the check
        asked for one (`server_errors`: a health check's 503)."""
        import httpx

        for line in self.endpoint.setup_lines:
            self.transcript.set_up(line)
        for line in self.endpoint.teardown_lines:
            self.transcript.tear_down(line)
        url = httpx.URL(path, params=params)
        target = url.raw_path.decode("ascii")
        if form is not None:
            sent: str | None = str(httpx.QueryParams(form))
        else:
            sent = raw if raw is not None else (None if body is None else json.dumps(body))
        words = self._curl_words(method, target, sent, form is not None, headers)
        step = self.transcript.add(Step(words))
        curl = self.transcript.shown(step)
        if not self.endpoint.alive():
            raise self._down(
                f"your server was not running when the checker sent {method} {target}", curl
            )
        extra = dict(headers or {})
        headers = {"content-type": FORM_TYPE if form is not None else JSON_TYPE} if sent else {}
        headers |= extra
        if self.token is not None:
            headers["authorization"] = f"Bearer {self.token}"
        try:
            client = httpx.Client(base_url=self.endpoint.url, timeout=REQUEST_TIMEOUT)
            streamed = client.stream(method, target, content=sent, headers=headers)
            # The socket is made where the server listens: the run's own network.
            with run_network(), client, streamed as response:
                text = _read_limited(response, f"{method} {target}", curl)
        except httpx.TimeoutException:
            raise self._down(
                f"{method} {target} got no answer within {REQUEST_TIMEOUT:.0f} s", curl
            ) from None
        except httpx.TransportError as error:
            raise self._down(f"{method} {target} got no answer: {error}", curl) from None
        answer = Answer(
            method,
            target,
            response.status_code,
            response.reason_phrase,
            text,
            curl,
            tuple(response.headers.items()),
            step,
            logged_in=self.token is not None,
        )
        step.saw = f"{answer.status} {answer.reason}".strip()
        if answer.status in (307, 308):
            raise _slash_redirect(answer)
        if answer.status >= 500 and not server_errors:
            raise CheckFailed(
                f"{answer.request} answered {answer.status}: your code crashed",
                ran=curl,
                got=f"{answer.describe()}\nthe server's last lines:\n"
                + self.endpoint.log_tail(settle=0.2),
                expected="a 2xx answer, or a 4xx that says what was wrong with the request; "
                "never a 5xx",
                fix="find the traceback in the server's output; if the client sent something "
                "wrong, answer 4xx (raise HTTPException, or map your domain error in an "
                "exception handler); otherwise fix the bug it shows",
            )
        return answer

    def _down(self, problem: str, curl: str) -> CheckFailed:
        return CheckFailed(
            problem,
            ran=curl,
            # settle: a server that just died may still have lines in its pipe
            got=f"the server's last lines:\n{self.endpoint.log_tail(settle=0.2)}",
            expected=f"an answer within {REQUEST_TIMEOUT:.0f} s from a server that keeps running",
        )


def _slash_redirect(answer: Answer) -> CheckFailed:
    """A redirect is not an answer; the usual one is FastAPI adding or dropping a slash."""
    import httpx

    location = httpx.URL(answer.header("location") or "")
    path, asked = location.path, answer.path.split("?", 1)[0]
    if path.rstrip("/") == asked.rstrip("/") and path != asked:
        return answer.failure(
            f"{answer.request} answered {answer.status}: a redirect to {path}, because your "
            f"route is declared {'with' if path.endswith('/') else 'without'} a trailing slash",
            expected=f"an answer from {asked} itself",
            fix=f"make the manifest say the path your routes use: in [tool.roadmap.api] "
            f"write the collection exactly as your router declares it (with or without "
            f"the final /), here {path}; clients that don't follow redirects (and every "
            f"POST after a 307) otherwise miss your API",
        )
    return answer.failure(
        f"{answer.request} answered {answer.status}: a redirect to {location}",
        expected="an answer from the path itself, not a redirect",
    )


def _read_limited(response: httpx.Response, request: str, curl: str) -> str:
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > MAX_BODY:
            raise CheckFailed(
                f"{request} answered with more than {MAX_BODY // 1_000_000} MB",
                ran=curl,
                expected="an answer of a sensible size (is the listing paginated?)",
            )
    return body.decode("utf-8", errors="replace")
