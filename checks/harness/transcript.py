"""What a check did, as shell lines a learner can paste to see the problem for themselves.

The CLI adds its commands and the API its `curl` lines to the same transcript, in the
order they ran, after the lines that set things up (storage, starting the server).
"""

from __future__ import annotations


class Transcript:
    def __init__(self) -> None:
        self.setup: list[str] = []
        self.steps: list[str] = []

    def set_up(self, line: str) -> None:
        if line not in self.setup:
            self.setup.append(line)

    def add(self, line: str) -> None:
        self.steps.append(line)

    def lines(self) -> list[str]:
        """Set-up then steps; nothing at all when the check ran no learner program."""
        return [*self.setup, *self.steps] if self.steps else []
