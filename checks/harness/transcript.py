"""What a check did, as shell lines a learner can paste into a fresh shell to see it again.

The storage door adds the lines that set things up (the variables every program reads, a
scratch database and its migrations, the operator), the HTTP door the server's start and
stop, and each door its steps in the order they ran: CLI commands, `curl` lines. A step
says what the checker saw where that is news (`# → 201 Created`, `# → exit 1`), so a
learner can compare, line by line, what their shell shows with what the checker got.

Values an answer gave that a later step uses (a login's token, a new record's id) are
shell variables: the step that gave one keeps it (`TOKEN_OWNER=$(curl -s ... | python3
-c ...)`) and later steps say `"$TOKEN_OWNER"`, in double quotes, so the shell expands
it. Replayed in a fresh database, a record's id may differ from the checker's; the
variable holds the one the learner's own run gave.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

READ_KEY = "python3 -c 'import json,sys; print(json.load(sys.stdin)[\"{key}\"])'"
LONG_VALUE = 12  # a value this long (a token, a UUID) is replaced wherever it appears


@dataclass(frozen=True)
class Capture:
    """A value a step's JSON answer holds, which later steps use by name."""

    name: str  # the variable's name, TOKEN_OWNER, EXPENSE_ID (numbered if taken)
    key: str  # where the JSON answer holds it
    value: str


@dataclass(eq=False)
class Step:
    """One command as a learner types it, word by word, and what the checker saw."""

    words: tuple[str, ...] = ()
    raw: str = ""  # or a line taken as written (`kill $!`, a line from another process)
    saw: str = ""  # "201 Created", "exit 1"; empty when there is nothing to say
    capture: Capture | None = field(default=None)

    @classmethod
    def line(cls, text: str) -> Step:
        return cls(raw=text)


class Transcript:
    def __init__(self) -> None:
        self.setup: list[str] = []
        self.teardown: list[str] = []
        self._steps: list[Step] = []

    def set_up(self, line: str) -> None:
        if line not in self.setup:
            self.setup.append(line)

    def tear_down(self, line: str) -> None:
        if line not in self.teardown:
            self.teardown.append(line)

    def add(self, step: Step | str) -> Step:
        """Append a step (a plain string is a line taken as written)."""
        made = Step.line(step) if isinstance(step, str) else step
        self._steps.append(made)
        return made

    def __contains__(self, step: Step) -> bool:
        return any(step is mine for mine in self._steps)

    @property
    def steps(self) -> list[str]:
        """Each step as a failure's `ran` shows it: the command alone."""
        return [self.shown(step) for step in self._steps]

    def shown(self, step: Step) -> str:
        """The step as a command, its values named as the steps before it named them."""
        names = self._names_before(step)
        return step.raw or _command(step.words, names)

    def command(self, words: list[str] | tuple[str, ...]) -> str:
        """Words not (yet) run, as a command after every step so far."""
        return _command(tuple(words), self._names_before(None))

    def lines(self) -> list[str]:
        """Set-up, steps, then tear-down; nothing at all when the check ran no program."""
        if not self._steps:
            return []
        return [*self.setup, *self._rendered(), *self.teardown]

    # Rendering ---------------------------------------------------------------------------

    def _names_before(self, stop: Step | None) -> dict[str, str]:
        names: dict[str, str] = {}
        for step in self._steps:
            if step is stop:
                break
            if step.capture is not None:
                _bind(names, step.capture)
        return names

    def _rendered(self) -> list[str]:
        names: dict[str, str] = {}
        lines = []
        for index, step in enumerate(self._steps):
            if step.raw:
                lines.append(step.raw)
                continue
            command = _command(step.words, names)
            capture = step.capture
            if capture is not None:
                name = _bind(names, capture)
                later = self._steps[index + 1 :]
                if any(_uses(other.words, capture.value) for other in later):
                    quiet = tuple("-s" if w == "-i" else w for w in step.words)
                    reader = READ_KEY.format(key=capture.key)
                    lines.append(f"{name}=$({_command(quiet, names)} | {reader})")
                    continue
            lines.append(f"{command}  # → {step.saw}" if step.saw else command)
        return lines


def _bind(names: dict[str, str], capture: Capture) -> str:
    """Name the captured value (a new name when its own is taken by another value)."""
    taken = {name for value, name in names.items() if value != capture.value}
    name, number = capture.name, 1
    while name in taken:
        number += 1
        name = f"{capture.name}_{number}"
    names[capture.value] = name
    return name


def _uses(words: tuple[str, ...], value: str) -> bool:
    return any(_replaced(word, value, "") != word for word in words)


def _replaced(word: str, value: str, name: str) -> str:
    """`word` with `value` as `$name`: anywhere for a long value, else only as a whole
    segment of a URL's path (the 7 in /v1/expenses/7, not in 127.0.0.1)."""
    reference = "\0" + name + "\0"  # marks a variable until the word is quoted
    if len(value) >= LONG_VALUE:
        return word.replace(value, reference)
    if word.startswith(("http://", "https://")):
        return re.sub(rf"(?<=/){re.escape(value)}(?=[/?#]|$)", reference, word)
    return word


def _command(words: tuple[str, ...], names: dict[str, str]) -> str:
    return " ".join(_quoted(word, names) for word in words)


def _quoted(word: str, names: dict[str, str]) -> str:
    """A word as the shell must read it: in single quotes, or in double quotes with
    `$NAME` where it holds a named value."""
    for value, name in names.items():
        word = _replaced(word, value, name)
    if "\0" not in word:
        return shlex.quote(word)
    pieces = word.split("\0")
    out = []
    for index, piece in enumerate(pieces):
        if index % 2:  # a variable's name
            following = pieces[index + 1][:1] if index + 1 < len(pieces) else ""
            out.append(f"${{{piece}}}" if re.match(r"\w", following) else f"${piece}")
        else:
            out.append(re.sub(r'([\\"$`])', r"\\\1", piece))
    return '"' + "".join(out) + '"'
