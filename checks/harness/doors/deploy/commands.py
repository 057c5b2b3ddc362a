"""What a container of the app runs: the image's ENTRYPOINT and CMD, as compose overrides
them, and the scripts of the project they start.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from pathlib import Path

from checks.harness.doors.deploy import serving
from checks.harness.doors.deploy.compose import Service
from checks.harness.doors.deploy.dockerfile import Stage
from checks.harness.doors.deploy.imagepaths import ImagePaths

MAX_SCRIPT = 100_000


def _words(value: list[str] | str) -> list[str]:
    """compose's `command:` or `entrypoint:`: a string is split as a shell would split it,
    but no shell runs it."""
    if isinstance(value, list):
        return value
    try:
        return shlex.split(value)
    except ValueError:
        return value.split()


def container_command(stage: Stage, service: Service | None) -> tuple[str, ...]:
    """ENTRYPOINT + CMD of `stage`, with the service's `entrypoint:` and `command:` (an
    `entrypoint:` drops the image's CMD, as compose does)."""
    entrypoint = stage.entrypoint.argv if stage.entrypoint else ()
    shell_entry = stage.entrypoint is not None and not stage.entrypoint.exec_form
    command = stage.cmd.argv if stage.cmd else ()
    if service is not None:
        given_entry = service.command_of("entrypoint")
        if given_entry is not None:
            entrypoint, shell_entry, command = tuple(_words(given_entry)), False, ()
        given_command = service.command_of("command")
        if given_command is not None:
            command = tuple(_words(given_command))
    if shell_entry:
        return entrypoint
    return (*entrypoint, *command)


def scripts(paths: ImagePaths, argv: tuple[str, ...]) -> list[tuple[str, Path]]:
    """The project's shell scripts `argv` runs: (the image path, the project file)."""
    found = []
    for word in argv:
        if "/" not in word and not word.endswith(".sh"):
            continue
        source = paths.source(word)
        if source is None or not source.is_file() or source.stat().st_size > MAX_SCRIPT:
            continue
        head = source.read_bytes()[:200]
        if b"\0" not in head and (head.startswith(b"#!") or source.suffix in (".sh", ".bash")):
            found.append((word, source))
    return found


def words_and_scripts(paths: ImagePaths, argv: tuple[str, ...]) -> list[list[str]]:
    """The command itself, the lines of a `sh -c` text, and the lines of its scripts, as
    word lists: where a server command may be."""
    found = [list(argv)]
    texts = [argv[i + 1] for i, word in enumerate(argv[:-1]) if word == "-c"]  # sh -c TEXT
    texts += [path.read_text("utf-8", errors="replace") for _, path in scripts(paths, argv)]
    for text in texts:
        for line in text.replace("\\\n", " ").splitlines():
            try:
                found.append(shlex.split(line, comments=True))
            except ValueError:
                found.append(line.split())
    return found


def binding(
    paths: ImagePaths, argv: tuple[str, ...], env: Mapping[str, str]
) -> serving.Binding | None:
    """The server the container starts and what it binds, wherever it is named."""
    found = None
    for words in words_and_scripts(paths, argv):
        found = serving.binding(words, env) or found
    return found


def runs(paths: ImagePaths, argv: tuple[str, ...], wanted: tuple[str, ...]) -> bool:
    """Whether the command (or a script it runs) runs `wanted`, such as `alembic upgrade
    head`: its program's name, then its arguments in order (options between allowed)."""
    program, *arguments = wanted
    name = program.rsplit("/", 1)[-1]
    for words in words_and_scripts(paths, argv):
        for start, word in enumerate(words):
            if word.rsplit("/", 1)[-1] != name:
                continue
            rest = iter(words[start + 1 :])
            if all(any(argument == later for later in rest) for argument in arguments):
                return True
    return False
