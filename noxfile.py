"""Every entry point of Backend Roadmap: check, grade, reference, demo, tests, lint, docs.

Run them with `./nox -s NAME` (installs nox on first use) or `nox -s NAME`.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import subprocess
from pathlib import Path

import nox

nox.needs_version = ">=2026.10.20"
nox.options.default_venv_backend = "uv"
nox.options.reuse_venv = "yes"
nox.options.sessions = ["lint", "tests"]


def _install(session: nox.Session, *groups: str) -> None:
    """Install the checker (editable, so the course's sources stay in place) and groups.

    Skipped when this environment already holds exactly that: the stamp is the hash of
    pyproject.toml and the groups, so a learner's second `./nox -s check` starts at once.
    The ./nox script reads the same stamp to skip nox itself for check and grade: keep
    the two in step.
    """
    args = [arg for group in groups for arg in ("--group", group)]
    pyproject = Path(__file__).with_name("pyproject.toml").read_bytes()
    wanted = hashlib.sha256(pyproject + " ".join(args).encode()).hexdigest()
    location = getattr(session.virtualenv, "location", None)
    stamp = Path(location) / ".roadmap-installed" if location else None
    if stamp and stamp.is_file() and stamp.read_text() == wanted:
        session.log("the checker is installed and unchanged; not reinstalling")
        return
    # Compiled now, because a machine may forbid writing bytecode later
    # (PYTHONDONTWRITEBYTECODE: Docker images, this course's own sandbox). Without it,
    # every checker process (and each of its workers, and the fuzzer) compiled pytest,
    # schemathesis and the checker again from source: about 2 s of CPU each.
    session.install("-e", ".", *args, env={"UV_COMPILE_BYTECODE": "1"})
    # The checker itself is installed editable: uv compiles site-packages, not checks/.
    session.run("python", "-m", "compileall", "-q", "checks", silent=True)
    if stamp:
        stamp.write_text(wanted)


def _exit_with(session: nox.Session, *command: str) -> None:
    """Run a command and hand its exit code (0, 1 or 2) to the shell unchanged.

    nox maps every failure to exit 1; a checker's 2 ("could not check") must survive.
    """
    session.log(shlex.join(command))
    env = {**os.environ, **{k: v for k, v in session.env.items() if v is not None}}
    executable = os.path.join(session.bin, command[0])
    program = subprocess.Popen([executable, *command[1:]], env=env)
    try:
        code = program.wait()
    except KeyboardInterrupt:  # Ctrl-C reached the program too: let it clean up and say so
        code = program.wait()
    if code:
        raise SystemExit(code)


@nox.session
def check(session: nox.Session) -> None:
    """Check one learner repository: PATH [--stage N] [--report-dir DIR] [--only ID]."""
    _install(session)
    _exit_with(session, "roadmap-check", *session.posargs)


@nox.session
def grade(session: nox.Session) -> None:
    """Check a cohort: PATH... [--from FILE] [--compare OLD.json] [--jobs N]; cohort.md etc."""
    _install(session)
    _exit_with(session, "roadmap-grade", *session.posargs)


@nox.session
def reference(session: nox.Session) -> None:
    """Write the reference project at the end of a stage: STAGE DEST."""
    _install(session, "course")
    _exit_with(session, "python", "-m", "checks.course.reference", *session.posargs)


@nox.session
def demo(session: nox.Session) -> None:
    """Check a fresh starter and the reference side by side."""
    _install(session, "course")
    _exit_with(session, "python", "-m", "checks.course.demo", *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the course's own tests: template, harness, references and mutants."""
    _install(session, "test")
    session.run("pytest", *_test_workers(session.posargs), *session.posargs)


def _test_workers(posargs: list[str]) -> list[str]:
    """Run the tests in parallel unless the caller chose (`-n 0`, `-p no:xdist`): twice
    as many workers as cores, since most tests wait on the learner programs they start,
    handed out in order (tests/conftest.py puts the longest end-to-end runs first, and
    keeps the tests that share a reference run on one worker)."""
    if any(arg.startswith(("-n", "--numprocesses")) for arg in posargs) or "no:xdist" in posargs:
        return []
    return ["-n", str(2 * (os.cpu_count() or 1)), "--dist", "loadgroup"]


@nox.session
def lint(session: nox.Session) -> None:
    """Lint and type-check the course's own code."""
    _install(session, "lint")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation site into site/, failing on any warning."""
    _install(session, "docs")
    session.run("mkdocs", "build", "--strict", *session.posargs)


@nox.session(name="docs-serve", default=False)
def docs_serve(session: nox.Session) -> None:
    """Preview the documentation site with live reload (mkdocs serve)."""
    _install(session, "docs")
    session.run("mkdocs", "serve", *session.posargs)
