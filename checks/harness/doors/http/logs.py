"""What a learner's server logs (stage 5 on): JSON records, one line each.

The checker reads every line the server printed while a check ran (`Server.mark` and
`lines_since`), on stdout and stderr alike, and keeps the ones that parse as JSON
objects; lines that are not JSON (uvicorn's own start-up lines) are left alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from checks.harness.doors.http.resource import LearnerApi

ACCESS_FIELDS = ("method", "path", "status", "duration_ms", "request_id")
ERROR_LEVELS = ("error", "critical", "fatal", "exception")


@dataclass(frozen=True)
class Logged:
    records: tuple[dict[str, Any], ...]  # the JSON objects, in order
    lines: tuple[str, ...]  # every line, for a report

    def about(self, request_id: str) -> list[dict[str, Any]]:
        """The records that carry this request id, in any field."""
        return [r for r in self.records if request_id in json.dumps(r, default=str)]

    def shown(self, limit: int = 8) -> str:
        return "\n".join(line[:300] for line in self.lines[-limit:]) or "(nothing)"


def since(api: LearnerApi, mark: int) -> Logged:
    lines = api.served.server.lines_since(mark)
    records = []
    for line in lines:
        start = line.find("{")  # a prefix such as a process name may come first
        try:
            value = json.loads(line[start:]) if start >= 0 else None
        except ValueError:
            continue
        if isinstance(value, dict):
            records.append(value)
    return Logged(tuple(records), tuple(lines))


def mark(api: LearnerApi) -> int:
    return api.served.server.mark()


def is_access(record: dict[str, Any]) -> bool:
    return all(name in record for name in ACCESS_FIELDS)


def is_error(record: dict[str, Any]) -> bool:
    level = str(record.get("level") or record.get("levelname") or record.get("severity") or "")
    return level.lower() in ERROR_LEVELS


def has_traceback(record: dict[str, Any]) -> bool:
    return "Traceback (most recent call last)" in json.dumps(record, default=str) or any(
        key in record for key in ("traceback", "exc_info", "exception", "stack")
    )
