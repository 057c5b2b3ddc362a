"""Drive the learner's web API (stage 3 on): their app under uvicorn, spoken to with httpx.

The server runs on a check's throw-away storage, so the CLI can be pointed at the same
database. Every request goes into the check's transcript as a `curl` line a learner can
paste, and a 5xx answer fails the check on the spot, with the server's last log lines
(where Python prints the traceback).
"""

from __future__ import annotations

import json
import shlex
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

from checks.harness.failure import CheckFailed, a, clip
from checks.harness.learner_cli import describe_record
from checks.harness.manifest import Api, Field, Manifest
from checks.harness.openapi import OpenApiProblem, Paths, resource_paths
from checks.harness.server import Server, free_port
from checks.harness.storage import Storage
from checks.harness.transcript import Transcript
from checks.harness.values import same_value
from checks.harness.workspace import Workspace

REQUEST_TIMEOUT = 10.0
MAX_BODY = 1_000_000  # an answer bigger than this is a flood, not a page of records
SHOWN_PORT = 8000  # reports show uvicorn's default port, not the free one the checker used
SHOWN_URL = f"http://127.0.0.1:{SHOWN_PORT}"
JSON_TYPE = "application/json"


@dataclass(frozen=True)
class Answer:
    """One request and what came back, in the terms a report needs."""

    method: str
    path: str  # with its query string
    status: int
    reason: str
    text: str
    curl: str

    @property
    def request(self) -> str:
        return f"{self.method} {self.path}"

    def describe(self) -> str:
        body = f"; body: {clip(self.text, 400)}" if self.text.strip() else "; no body"
        return f"{self.status} {self.reason}{body}"

    def failure(self, problem: str, expected: str, fix: str | None = None) -> CheckFailed:
        """A failure about this answer: the request as curl, what came back, what should."""
        return CheckFailed(problem, ran=self.curl, got=self.describe(), expected=expected, fix=fix)

    def json(self) -> Any:
        """The body as JSON; a body that is not JSON fails the check, saying so."""
        try:
            return json.loads(self.text)
        except json.JSONDecodeError:
            raise self.failure(
                f"{self.request} did not answer with JSON",
                expected=f"a JSON body (content-type: {JSON_TYPE})",
            ) from None

    def expect(self, *statuses: int, doing: str, fix: str | None = None) -> None:
        """Fail unless the status is one of `statuses`."""
        if self.status in statuses:
            return
        wanted = " or ".join(str(s) for s in statuses)
        raise self.failure(
            f"{self.request} answered {self.status} instead of {wanted} while {doing}",
            expected=f"status {wanted}",
            fix=fix,
        )


class LearnerApi:
    """One learner server, on one `Storage`, logging into one check's transcript."""

    def __init__(
        self,
        manifest: Manifest,
        workspace: Workspace,
        storage: Storage,
        transcript: Transcript,
        deadline: float,
    ) -> None:
        self.manifest = manifest
        self.deadline = deadline  # seconds the server may take to listen: the run timeout
        self.config: Api = manifest.require_api()
        self.storage = storage
        self.transcript = transcript
        serve = ["-m", "uvicorn", self.config.app, *(["--factory"] if self.config.factory else [])]
        # The command as a learner would type it, for reports; the checker's own runs the
        # project's venv on a free port.
        self.command = shlex.join(["python", *serve, "--port", str(SHOWN_PORT)])
        port = free_port()
        self.server = Server(
            [str(workspace.python), *serve, "--host", "127.0.0.1", "--port", str(port)],
            cwd=workspace.project,
            env=workspace.env(**storage.env()),
            port=port,
            shown=self.command,
        )
        self._paths: Paths | None = None
        self._document: dict[str, Any] | None = None

    @property
    def start_line(self) -> str:
        """The command in the background, with time to start, for a transcript."""
        return f"{self.command} & sleep 3"

    # The server ---------------------------------------------------------------------

    def bind(self, transcript: Transcript) -> LearnerApi:
        """Log into another check's transcript (the shared server serves many checks)."""
        self.transcript = transcript
        return self

    def start(self) -> None:
        self.server.start(self.deadline)

    def restart(self) -> None:
        """Stop the server (the whole process group, at once) and start it again."""
        self.server.stop()
        self.transcript.add("kill %1  # stop the server, then start it again:")
        self.transcript.add(self.start_line)
        self.server.start(self.deadline)

    def stop(self) -> None:
        self.server.stop()

    # Requests -----------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        raw: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> Answer:
        """Send one request: `body` as JSON, or `raw` text labelled as JSON."""
        self.transcript.set_up(self.storage.setup_line())
        self.transcript.set_up(self.start_line)
        url = httpx.URL(path, params=params)
        target = url.raw_path.decode("ascii")
        sent = raw if raw is not None else (None if body is None else json.dumps(body))
        curl = _curl(method, target, sent)
        self.transcript.add(curl)
        if not self.server.alive():
            raise self._down(
                f"your server was not running when the checker sent {method} {target}", curl
            )
        headers = {"content-type": JSON_TYPE} if sent is not None else {}
        try:
            client = httpx.Client(base_url=self.server.url, timeout=REQUEST_TIMEOUT)
            with client, client.stream(method, target, content=sent, headers=headers) as response:
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
        )
        if answer.status >= 500:
            raise CheckFailed(
                f"{answer.request} answered {answer.status}: your code crashed",
                ran=curl,
                got=f"{answer.describe()}\nthe server's last lines:\n"
                + self.server.log_tail(settle=0.2),
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
            got=f"the server's last lines:\n{self.server.log_tail()}",
            expected=f"an answer within {REQUEST_TIMEOUT:.0f} s from a server that keeps running",
        )

    # Discovery ----------------------------------------------------------------------

    def curl(self, method: str, path: str) -> str:
        """A request as a `curl` line, for a report that did not go through `request`."""
        return _curl(method, path, None)

    def document(self) -> dict[str, Any]:
        """The learner's /openapi.json, which must be a JSON object (read once)."""
        if self._document is None:
            self._document = self._read_document()
        return self._document

    def _read_document(self) -> dict[str, Any]:
        answer = self.request("GET", "/openapi.json")
        answer.expect(
            200,
            doing="reading your OpenAPI document",
            fix="FastAPI serves /openapi.json unless you turned it off; keep "
            "FastAPI(openapi_url=...) at its default",
        )
        document = answer.json()
        if not isinstance(document, dict):
            raise answer.failure(
                "/openapi.json is JSON, but not an object",
                expected='an OpenAPI document: {"openapi": "3.1.0", "paths": {...}, ...}',
            )
        return document

    @property
    def paths(self) -> Paths:
        """The collection and item paths, found in the OpenAPI document once per server."""
        if self._paths is None:
            try:
                self._paths = resource_paths(self.document(), self.config.collection)
            except OpenApiProblem as problem:
                raise CheckFailed(
                    str(problem),
                    ran=self.curl("GET", "/openapi.json"),
                    expected=f"the paths {self.config.collection} and "
                    f"{self.config.collection}/{{id}}",
                    fix="check [tool.roadmap.api] collection against the paths in your "
                    "/openapi.json (prefix included), and add the routes that are missing",
                ) from None
        return self._paths

    # Records ------------------------------------------------------------------------

    def body(self, record: dict[str, str]) -> dict[str, Any]:
        """A record as a client sends it: numbers as JSON numbers, the rest as strings."""
        return {
            name: _typed(self.manifest.fields.get(name), value) for name, value in record.items()
        }

    def create(self, record: dict[str, str]) -> Answer:
        return self.request("POST", self.config.collection, body=self.body(record))

    def create_ok(self, record: dict[str, str]) -> dict[str, Any]:
        """Create a record and return what the API answered; any failure fails the check."""
        answer = self.create(record)
        answer.expect(
            200,
            201,
            doing=f"creating {a(self.manifest.record)}",
            fix="make creating work first (see 03-api/create-returns-201)",
        )
        created = answer.json()
        if not isinstance(created, dict) or self.manifest.id_field not in created:
            raise answer.failure(
                f"creating {a(self.manifest.record)} did not answer with the record and its id",
                expected=f'a JSON object with "{self.manifest.id_field}" and the values sent',
            )
        return created

    def get(self, record_id: Any) -> Answer:
        return self.request("GET", self.paths.item_url(record_id))

    def delete(self, record_id: Any) -> Answer:
        return self.request("DELETE", self.paths.item_url(record_id))

    def update(self, current: dict[str, Any], changes: dict[str, str]) -> Answer:
        """PATCH sends the changes alone; PUT sends the whole record with them applied."""
        body = self.body(changes)
        if self.config.update == "PUT":
            kept = {k: v for k, v in current.items() if k in self.manifest.fields}
            body = {**kept, **body}
        record_id = current[self.manifest.id_field]
        return self.request(self.config.update, self.paths.item_url(record_id), body=body)

    def listing(self, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """GET the collection and return its records, from an array or an envelope."""
        answer = self.request("GET", self.config.collection, params=params)
        answer.expect(200, doing=f"listing {self.manifest.record} records")
        data = answer.json()
        items: Any = data
        if isinstance(data, dict):
            if self.config.items:
                items = data.get(self.config.items)
            else:
                arrays = [value for value in data.values() if isinstance(value, list)]
                items = arrays[0] if len(arrays) == 1 else None
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            where = f'under "{self.config.items}"' if self.config.items else "in it"
            raise answer.failure(
                "the listing is not a JSON array of records, nor an object with one",
                expected=f'[{{"id": 1, ...}}] or {{"items": [...], "total": 1}} (an object '
                f"with one array {where}; the manifest key api.items names it)",
            )
        return items

    def page(self, index: int, size: int) -> dict[str, int]:
        """Query parameters for page `index` (0 first) of `size` records."""
        if self.config.pagination == "page-size":
            return {"page": index + 1, "size": size}
        return {"limit": size, "offset": index * size}

    def differences(self, sent: dict[str, str], got: Any) -> list[str]:
        """The fields whose value in `got` is not the value sent, as "name: sent → got"."""
        if not isinstance(got, dict):
            return ["the answer is not a JSON object"]
        return [
            f"{name}: sent {sent[name]!r}, got {got.get(name, '(missing)')!r}"
            for name, field in self.manifest.fields.items()
            if name in sent and not same_value(field, sent[name], got.get(name))
        ]

    def require_values(self, sent: dict[str, str], got: Any, *, problem: str, ran: str) -> None:
        """Fail with each wrong field unless `got` holds every value of `sent`."""
        wrong = self.differences(sent, got)
        if wrong:
            raise CheckFailed(
                problem,
                ran=ran,
                got="\n".join(wrong),
                expected=f"a record with {describe_record(sent)}",
            )

    def id_of(self, record: dict[str, Any], answer: Answer | None = None) -> Any:
        if self.manifest.id_field not in record:
            raise CheckFailed(
                f'{a(self.manifest.record)} came back without its "{self.manifest.id_field}"',
                ran=answer.curl if answer else None,
                got=clip(json.dumps(record)),
                expected=f'every record to carry its id as "{self.manifest.id_field}"',
            )
        return record[self.manifest.id_field]


@dataclass
class SharedServer:
    """The server most checks share, or why it did not start (for 03-api/server-starts)."""

    api: LearnerApi
    failure: CheckFailed | None


def unknown_id(known: Any, token: str) -> Any:
    """An id of the same kind as `known` that no record has."""
    if isinstance(known, int) and not isinstance(known, bool):
        return 900_000_000 + int(token, 36) % 99_999_999
    try:
        uuid.UUID(str(known))
        return str(uuid.uuid4())
    except ValueError:
        return f"no-such-{token}"


def _typed(field: Field | None, value: str) -> Any:
    if field is not None and field.type in ("decimal", "int"):
        try:
            number = Decimal(value)
        except InvalidOperation:
            return value  # an invalid sample, sent as the learner wrote it
        return (
            int(number) if field.type == "int" and number == number.to_integral() else float(number)
        )
    return value


def _curl(method: str, target: str, sent: str | None) -> str:
    parts = ["curl", "-i"]
    if method != "GET":
        parts += ["-X", method]
    parts.append(SHOWN_URL + target)
    if sent is not None:
        parts += ["-H", f"content-type: {JSON_TYPE}", "-d", sent]
    return shlex.join(parts)


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
