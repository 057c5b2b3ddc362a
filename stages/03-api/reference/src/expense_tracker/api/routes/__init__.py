"""One router per resource: each module turns HTTP requests into service calls."""
