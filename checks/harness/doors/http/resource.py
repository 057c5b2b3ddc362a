"""The learner's records over HTTP: create, read, list, update, delete, page.

`LearnerApi` is a value: a served app, an immutable client and the manifest. A check gets
its own (`with_transcript`), and stage 4 logs one in with `with_auth`, without changing
what any other check holds.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from checks.harness.doors.cli.driver import describe_record
from checks.harness.doors.http.client import Answer, Client
from checks.harness.doors.http.openapi import OpenApiProblem, Paths, resource_paths
from checks.harness.doors.http.served import ServedApp
from checks.harness.doors.storage import Storage
from checks.harness.failure import CheckFailed, a, shown_json
from checks.harness.manifest import Api, Field, Manifest
from checks.harness.transcript import Capture, Transcript
from checks.harness.values import same_value
from checks.harness.workspace import Workspace

CREATE = "03-api/create-returns-201"  # the checks that grade the steps others stand on
OPENAPI = "03-api/openapi-valid"
LIST = "03-api/list-includes-record"
API_STORAGE = "03-api/api-uses-database-url"


@dataclass(frozen=True)
class LearnerApi:
    """One check's view of one learner server."""

    manifest: Manifest
    served: ServedApp
    client: Client

    @classmethod
    def serve(
        cls,
        manifest: Manifest,
        workspace: Workspace,
        storage: Storage,
        transcript: Transcript,
        deadline: float,
        env_changes: Mapping[str, str | None] | None = None,
        launcher: Sequence[str] = (),
    ) -> LearnerApi:
        """A new server (not started yet) on `storage`, logging into `transcript`, with
        `env_changes` to its environment (a variable unset, a mode), run by `launcher`
        in place of `python` when given (coverage)."""
        served = ServedApp(manifest, workspace, storage, deadline, env_changes, launcher)
        return cls(manifest, served, Client(served, transcript))

    def with_transcript(self, transcript: Transcript) -> LearnerApi:
        return replace(self, client=self.client.with_transcript(transcript))

    def with_auth(self, token: str | None) -> LearnerApi:
        return replace(self, client=self.client.with_auth(token))

    @property
    def config(self) -> Api:
        return self.served.config

    @property
    def storage(self) -> Storage:
        return self.served.storage

    @property
    def transcript(self) -> Transcript:
        return self.client.transcript

    @property
    def command(self) -> str:
        return self.served.command

    def start(self) -> None:
        self.served.start()

    def restart(self) -> None:
        self.served.restart(self.transcript)

    def stop(self, grace: float = 0.0) -> bool:
        return self.served.stop(grace)

    def request(self, method: str, path: str, **kwargs: Any) -> Answer:
        answer = self.client.request(method, path, **kwargs)
        if method == "POST" and path == self.config.create_path:
            self._name_new_id(answer)
        return answer

    def _name_new_id(self, answer: Answer) -> None:
        """Let later lines of the transcript name a created record's id by a variable
        (EXPENSE_ID): replayed on a fresh database, the id is the learner's own."""
        if not 200 <= answer.status < 300 or answer.step is None:
            return
        try:
            created = json.loads(answer.text)
        except ValueError:
            return
        found = created.get(self.manifest.id_field) if isinstance(created, dict) else None
        if isinstance(found, int | str) and not isinstance(found, bool) and str(found):
            variable = re.sub(r"\W+", "_", self.manifest.record).strip("_").upper() + "_ID"
            answer.step.capture = Capture(variable, self.manifest.id_field, str(found))

    def curl(self, method: str, path: str) -> str:
        """A request as a `curl` line, for a report that did not go through `request`."""
        return self.client.curl(method, path)

    # Discovery ----------------------------------------------------------------------

    def document(self) -> dict[str, Any]:
        """The learner's /openapi.json, which must be a JSON object (read once)."""
        if self.served.document is None:
            self.served.document = self._read_document()
        return self.served.document

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
        if self.served.paths is None:
            try:
                self.served.paths = resource_paths(self.document(), self.config)
            except OpenApiProblem as problem:
                raise CheckFailed(
                    str(problem),
                    ran=self.curl("GET", "/openapi.json"),
                    expected=f"the paths {self.config.collection} and "
                    f"{self.config.item_prefix()}/{{id}}",
                    fix="check [tool.roadmap.api] collection against the paths in your "
                    "/openapi.json (prefix included), and add the routes that are missing",
                    step=OPENAPI,
                ) from None
        return self.served.paths

    # Records ------------------------------------------------------------------------

    def body(self, record: dict[str, str]) -> dict[str, Any]:
        """A record as a client sends it: numbers as JSON numbers, the rest as strings."""
        return {
            name: _typed(self.manifest.fields.get(name), value) for name, value in record.items()
        }

    def create(self, record: dict[str, str]) -> Answer:
        self.storage.sent(record)
        return self.request("POST", self.config.create_path, body=self.body(record))

    def create_ok(self, record: dict[str, str]) -> dict[str, Any]:
        """Create a record and return what the API answered; any failure fails the check."""
        answer = self.create(record)
        answer.expect(
            200,
            201,
            doing=f"creating {a(self.manifest.record)}",
            fix="make creating work first (see 03-api/create-returns-201)",
            step=CREATE,
        )
        created = answer.json()
        if not isinstance(created, dict) or self.manifest.id_field not in created:
            raise answer.failure(
                f"creating {a(self.manifest.record)} did not answer with the record and its id",
                expected=f'a JSON object with "{self.manifest.id_field}" and the values sent',
            ).of_step(CREATE)
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
        fields = self.manifest.fields
        stored = {k: str(v) for k, v in current.items() if k in fields and v is not None}
        self.storage.sent(stored | changes)  # the record as it will be listed from now on
        return self.request(self.config.update, self.paths.item_url(record_id), body=body)

    def listing(self, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """GET the collection and return its records, from an array or an envelope."""
        answer = self.request("GET", self.config.collection, params=params)
        answer.expect(200, doing=f"listing {self.manifest.record} records", step=LIST)
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
                step=LIST,
                expected=f'[{{"id": 1, ...}}] or {{"items": [...], "total": 1}} (an object '
                f"with one array {where}; the manifest key api.items names it)",
            )
        self.storage.require_isolated(items, self.manifest, ran=answer.curl, step=API_STORAGE)
        return items

    def page(self, index: int, size: int) -> dict[str, int]:
        """Query parameters for page `index` (0 first) of `size` records."""
        names, style = self.config.params, self.config.pagination
        if style == "page-size":
            return {names["page"]: index + 1, names["size"]: size}
        start = "skip" if style == "skip-limit" else "offset"
        return {names["limit"]: size, names[start]: index * size}

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
                got=shown_json(record, 600),
                expected=f'every record to carry its id as "{self.manifest.id_field}"',
            )
        return record[self.manifest.id_field]


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
