"""A Dockerfile, read as BuildKit reads it: its stages, and what the last one runs.

hadolint lints instructions one by one; what the image *is* (its user, its command, its
port, its environment) needs the stages resolved: continuation lines joined, comments and
heredoc bodies set aside, `ARG` and `ENV` substituted where Docker substitutes them, a
stage built `FROM` another inheriting its settings. The parse never runs anything.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import PurePosixPath

DEFAULT_SHELL = ("/bin/sh", "-c")
# Instructions whose arguments Docker expands variables in (the rest are left to a shell).
EXPANDED = {"ADD", "COPY", "ENV", "EXPOSE", "FROM", "LABEL", "STOPSIGNAL", "USER", "VOLUME"}
EXPANDED |= {"WORKDIR", "ARG", "ONBUILD"}
VARIABLE = re.compile(
    r"\\\$|\$(?:\{(?P<braced>\w+)(?::(?P<op>[-+])(?P<word>[^}]*))?\}|(?P<bare>\w+))"
)
HEREDOC = re.compile(r"<<(-?)([\"']?)(\w+)\2")


@dataclass(frozen=True)
class Instruction:
    keyword: str  # upper case: "CMD"
    args: str  # continuation lines joined, comment lines dropped
    line: int  # where it starts, counted from 1

    def __str__(self) -> str:
        return f"{self.keyword} {self.args}"


@dataclass(frozen=True)
class Command:
    """A CMD, ENTRYPOINT or HEALTHCHECK command as the engine runs it."""

    argv: tuple[str, ...]  # exec form as written; shell form wrapped in the stage's SHELL
    exec_form: bool
    written: str  # as the Dockerfile says it
    line: int


@dataclass(frozen=True)
class Copy:
    sources: tuple[str, ...]
    destination: str  # absolute: resolved against the WORKDIR of its place
    from_stage: str | None  # --from=NAME: another stage, or an image
    line: int


@dataclass
class Stage:
    """One FROM … and what follows it, with what it inherits resolved."""

    index: int
    base: str  # the image (or earlier stage) as written, ARGs substituted
    name: str | None
    line: int
    instructions: list[Instruction] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    args: dict[str, str] = field(default_factory=dict)
    user: str | None = None
    user_line: int = 0
    workdir: str = "/"
    expose: list[str] = field(default_factory=list)  # "8000", "8000/tcp"
    healthcheck: Instruction | None = None  # HEALTHCHECK NONE included: see `has_healthcheck`
    cmd: Command | None = None
    cmd_set: bool = False  # by this stage's own CMD, not inherited
    entrypoint: Command | None = None
    copies: list[Copy] = field(default_factory=list)
    shell: tuple[str, ...] = DEFAULT_SHELL
    parent: Stage | None = None  # the earlier stage it is FROM, if any

    @property
    def has_healthcheck(self) -> bool:
        return self.healthcheck is not None and not re.match(
            r"(?i)none\b", self.healthcheck.args.strip()
        )

    def ports(self) -> list[int]:
        found = []
        for spec in self.expose:
            number = spec.split("/")[0]
            if number.isdigit():
                found.append(int(number))
        return found

    def command(self) -> tuple[str, ...]:
        """What a container of this stage runs: ENTRYPOINT then CMD, as Docker joins them."""
        if self.entrypoint is not None:
            if not self.entrypoint.exec_form:
                return self.entrypoint.argv  # a shell-form ENTRYPOINT ignores CMD
            return self.entrypoint.argv + (self.cmd.argv if self.cmd else ())
        return self.cmd.argv if self.cmd else ()


@dataclass(frozen=True)
class Dockerfile:
    stages: tuple[Stage, ...]
    global_args: dict[str, str]

    def final(self, target: str | None = None) -> Stage:
        """The stage an image is built from: the last, or the `target` compose names."""
        if target:
            for stage in self.stages:
                if stage.name == target:
                    return stage
        return self.stages[-1]

    def stage_named(self, name: str) -> Stage | None:
        for stage in self.stages:
            if stage.name == name or str(stage.index) == name:
                return stage
        return None

    def all_instructions(self) -> list[Instruction]:
        return [i for stage in self.stages for i in stage.instructions]


class DockerfileError(Exception):
    """Not a Dockerfile the engine would build; the message says why, in its words."""


def logical_lines(text: str) -> list[tuple[int, str]]:
    """(first line number, instruction text): continuations joined, comments and heredoc
    bodies dropped, parser directives honoured (`# escape=`)."""
    lines = text.splitlines()
    escape = "\\"
    for raw in lines:
        directive = re.match(r"#\s*(\w+)\s*=\s*(\S+)\s*$", raw)
        if not directive:
            break
        if directive.group(1).lower() == "escape" and directive.group(2) in ("`", "\\"):
            escape = directive.group(2)
    found: list[tuple[int, str]] = []
    pending: list[str] = []
    start = 0
    index = 0
    while index < len(lines):
        raw = lines[index]
        index += 1
        stripped = raw.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if pending and stripped.startswith("#"):
            continue  # a comment inside a continued instruction is not part of it
        if not pending:
            start = index
        if raw.rstrip().endswith(escape):
            pending.append(raw.rstrip()[:-1])
            continue
        pending.append(raw)
        joined = " ".join(part.strip() for part in pending if part.strip())
        pending = []
        for strip_tabs, _, word in HEREDOC.findall(joined):
            while index < len(lines):  # the body is data for the instruction, not a line
                body = lines[index].lstrip("\t") if strip_tabs else lines[index]
                index += 1
                if body.rstrip() == word:
                    break
        found.append((start, joined))
    if pending:
        found.append((start, " ".join(part.strip() for part in pending)))
    return found


def expand(text: str, values: dict[str, str]) -> str:
    """`$NAME`, `${NAME}`, `${NAME:-word}` and `${NAME:+word}` as Docker expands them."""

    def resolve(match: re.Match[str]) -> str:
        if match.group(0) == "\\$":
            return "$"
        value = values.get(match["braced"] or match["bare"], "")
        if match["op"] == "-":
            return value or match["word"]
        if match["op"] == "+":
            return match["word"] if value else ""
        return value

    return VARIABLE.sub(resolve, text)


def _command(args: str, line: int, shell: tuple[str, ...]) -> Command:
    stripped = args.strip()
    if stripped.startswith("["):
        try:
            parsed = json.loads(stripped)
        except ValueError:
            parsed = None
        if isinstance(parsed, list) and all(isinstance(item, str) for item in parsed):
            return Command(tuple(parsed), True, stripped, line)
    return Command((*shell, stripped), False, stripped, line)


def pairs(args: str) -> list[tuple[str, str]]:
    """ENV and ARG's `KEY=value KEY2="two words"`, or ENV's old `KEY value`."""
    try:
        words = shlex.split(args, posix=True)
    except ValueError:
        words = args.split()
    if words and "=" not in words[0]:
        key, _, rest = args.strip().partition(" ")
        return [(key, rest.strip().strip("\"'"))]
    return [(word.split("=", 1)[0], word.split("=", 1)[1] if "=" in word else "") for word in words]


def _flags(words: list[str]) -> tuple[dict[str, str], list[str]]:
    flags: dict[str, str] = {}
    while words and words[0].startswith("--"):
        name, _, value = words.pop(0)[2:].partition("=")
        flags[name] = value
    return flags, words


def parse(text: str) -> Dockerfile:
    """The stages of the Dockerfile `text`; DockerfileError when it has none."""
    global_args: dict[str, str] = {}
    stages: list[Stage] = []
    for line, instruction in logical_lines(text):
        keyword, _, args = instruction.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            stages.append(_new_stage(len(stages), args, line, global_args, stages))
            continue
        if not stages:
            if keyword == "ARG":
                for key, value in pairs(expand(args, global_args)):
                    global_args[key] = value
                continue
            raise DockerfileError(f"line {line}: {keyword} before the first FROM")
        _apply(stages[-1], Instruction(keyword, args.strip(), line), global_args)
    if not stages:
        raise DockerfileError("it has no FROM instruction, so there is no image to build")
    return Dockerfile(tuple(stages), global_args)


def _new_stage(
    index: int, args: str, line: int, global_args: dict[str, str], earlier: list[Stage]
) -> Stage:
    _, words = _flags(expand(args, global_args).split())
    if not words:
        raise DockerfileError(f"line {line}: FROM names no image")
    name = words[2] if len(words) >= 3 and words[1].lower() == "as" else None
    stage = Stage(index, words[0], name, line)
    parent = next((s for s in reversed(earlier) if s.name and s.name == words[0]), None)
    if parent is not None:  # FROM an earlier stage: it starts as that stage left off
        stage.parent = parent
        stage.env = dict(parent.env)
        stage.user, stage.user_line, stage.workdir = parent.user, parent.user_line, parent.workdir
        stage.expose = list(parent.expose)
        stage.healthcheck, stage.cmd, stage.entrypoint = (
            parent.healthcheck,
            parent.cmd,
            parent.entrypoint,
        )
        stage.shell = parent.shell
    return stage


def _apply(stage: Stage, instruction: Instruction, global_args: dict[str, str]) -> None:
    stage.instructions.append(instruction)
    keyword, line = instruction.keyword, instruction.line
    values = {**stage.args, **stage.env}
    args = expand(instruction.args, values) if keyword in EXPANDED else instruction.args
    if keyword == "ARG":
        for key, value in pairs(args):
            stage.args[key] = value or global_args.get(key, "")
    elif keyword == "ENV":
        for key, value in pairs(args):
            stage.env[key] = value
    elif keyword == "USER":
        stage.user, stage.user_line = args.strip(), line
    elif keyword == "WORKDIR":
        stage.workdir = str(PurePosixPath(stage.workdir, args.strip().strip("\"'")))
    elif keyword == "EXPOSE":
        stage.expose += args.split()
    elif keyword == "HEALTHCHECK":
        stage.healthcheck = instruction
    elif keyword == "CMD":
        stage.cmd, stage.cmd_set = _command(args, line, stage.shell), True
    elif keyword == "ENTRYPOINT":
        stage.entrypoint = _command(args, line, stage.shell)
        if not stage.cmd_set:  # Docker drops an inherited CMD when ENTRYPOINT is set
            stage.cmd = None
    elif keyword == "SHELL":
        shell = _command(args, line, DEFAULT_SHELL)
        stage.shell = shell.argv if shell.exec_form else stage.shell
    elif keyword in ("COPY", "ADD"):
        stage.copies.append(_copy(args, line, stage.workdir))


def _copy(args: str, line: int, workdir: str) -> Copy:
    stripped = args.strip()
    flags, words = _flags(stripped.split())
    if words and words[0].startswith("["):
        command = _command(" ".join(words), line, DEFAULT_SHELL)
        words = list(command.argv) if command.exec_form else words
    words = [w for w in words if not w.startswith("<<")]  # heredoc sources: inline files
    destination = words[-1] if words else "."
    absolute = str(PurePosixPath(workdir, destination))
    if destination.endswith("/") or destination in (".", "./"):
        absolute = absolute.rstrip("/") + "/"
    return Copy(tuple(words[:-1]), absolute, flags.get("from"), line)


def is_root(user: str | None) -> bool:
    """Whether a USER value (or none at all) means root."""
    if user is None:
        return True
    name = user.split(":")[0].strip().strip("\"'")
    return name in ("", "root", "0")
