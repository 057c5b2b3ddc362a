"""Learner output made safe to show: no terminal escapes, no characters XML cannot hold."""

from __future__ import annotations

import re

# ANSI escape sequences first (so their tail is not left behind), then every control
# character but tab and newline, C1 controls, and what XML 1.0 cannot carry.
_ESCAPES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-_])")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def printable(text: str) -> str:
    """`text` without escape sequences or control characters (a visible mark where one was)."""
    text = _ESCAPES.sub("", text.replace("\r\n", "\n"))
    return _CONTROLS.sub("\N{REPLACEMENT CHARACTER}", text)
