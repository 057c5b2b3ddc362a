"""The JSON log format: one line per record, its fields, the request id, the traceback."""

import json
import logging
import sys

import pytest

from expense_tracker.core import logs
from expense_tracker.core.logs import JsonFormatter, configure_logging


def record(message="request", level=logging.INFO, fields=None, exc_info=None):
    made = logging.LogRecord("expense_tracker.api", level, __file__, 1, message, (), exc_info)
    if fields is not None:
        made.fields = fields
    return made


def test_a_record_is_one_line_of_json_with_time_level_logger_and_event():
    line = JsonFormatter().format(record("hello %s"))

    assert "\n" not in line
    parsed = json.loads(line)
    assert (parsed["level"], parsed["logger"], parsed["event"]) == (
        "info",
        "expense_tracker.api",
        "hello %s",
    )
    assert parsed["time"].endswith("+00:00")


def test_the_fields_of_a_record_become_keys_of_its_line():
    line = json.loads(JsonFormatter().format(record(fields={"status": 200, "path": "/health"})))

    assert (line["status"], line["path"]) == (200, "/health")


def test_the_current_request_id_is_on_every_line_logged_while_serving_it():
    token = logs.request_id.set("req-7")
    try:
        line = json.loads(JsonFormatter().format(record()))
    finally:
        logs.request_id.reset(token)

    assert line["request_id"] == "req-7"
    assert "request_id" not in json.loads(JsonFormatter().format(record()))


def test_an_exception_is_kept_in_the_same_line_as_its_traceback():
    try:
        raise ValueError("boom")
    except ValueError:
        line = JsonFormatter().format(record("failed", logging.ERROR, exc_info=sys.exc_info()))

    assert "\n" not in line
    parsed = json.loads(line)
    assert parsed["level"] == "error"
    assert parsed["traceback"].startswith("Traceback (most recent call last)")
    assert "ValueError: boom" in parsed["traceback"]


def test_a_field_json_has_no_type_for_is_written_as_text():
    from decimal import Decimal

    line = json.loads(JsonFormatter().format(record(fields={"amount": Decimal("12.50")})))

    assert line["amount"] == "12.50"


@pytest.fixture
def root_logging():
    """Put the root logger back as it was (pytest's own handlers included)."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield root
    root.handlers[:] = handlers
    root.setLevel(level)
    logging.getLogger("uvicorn.access").disabled = False


def test_configuring_twice_leaves_one_json_handler_and_uvicorn_logs_through_it(root_logging):
    configure_logging("WARNING")
    configure_logging("INFO")

    ours = [h for h in root_logging.handlers if isinstance(h.formatter, JsonFormatter)]
    assert len(ours) == 1
    assert root_logging.level == logging.INFO
    assert logging.getLogger("uvicorn.error").handlers == []
    assert logging.getLogger("uvicorn").propagate is True
    assert logging.getLogger("uvicorn.access").disabled  # the middleware logs requests
