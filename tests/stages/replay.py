"""Paste a check's `try` lines into a fresh shell, as a learner would, and see what they do.

Each line runs in one `bash -e` process, in order, in the project's folder, with nothing
in its environment but PATH (the project's venv first), HOME, TMPDIR and, for stage 4, the
`PG*` variables that say where PostgreSQL is, as a learner's shell would hold them. Every
line's output and exit code are kept apart, so a line is judged by what it says of itself:

- `curl ... # → 201 Created`: curl reached the server, which answered 201;
- `command ... # → exit 1`: the command exited with 1;
- any other line (exports, the migrations, `TOKEN_OWNER=$(curl -s ...)`): exit code 0.

A block runs in a network namespace of its own when the machine allows one (root, or
unprivileged user namespaces), so blocks can run at once, each with its server on port
8000; otherwise blocks run one at a time.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

SAW = re.compile(r"  # → (?:(?P<status>\d{3})\b.*|exit (?P<code>\d+))$")
STATUS_LINE = re.compile(r"^HTTP/\S+ (\d{3})", re.M)
BLOCK_SECONDS = 120  # a safety net against a hung server, not a speed claim


@dataclass(frozen=True)
class Line:
    text: str
    code: int  # its exit code
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@dataclass(frozen=True)
class Mismatch:
    line: str
    said: str
    did: str
    output: str

    def __str__(self) -> str:
        return f"{self.line}\n  says: {self.said}\n  did:  {self.did}\n{self.output[-1500:]}"


def isolation() -> list[str]:
    """The command prefix that gives a block a network of its own, or [] where none can
    be had (blocks then take turns with port 8000)."""
    unshare, ip = shutil.which("unshare"), shutil.which("ip") or "/usr/sbin/ip"
    if unshare is None or not Path(ip).exists():
        return []
    for prefix in ([unshare, "--net"], [unshare, "--net", "--map-root-user"]):
        tried = subprocess.run(
            [*prefix, ip, "link", "set", "lo", "up"], capture_output=True, check=False
        )
        if tried.returncode == 0:
            return prefix
    return []


def run_block(
    lines: list[str], cwd: Path, env: dict[str, str], folder: Path, isolated: list[str]
) -> list[Line]:
    """Run the lines as one shell script; each line's exit code and output."""
    folder.mkdir(parents=True)
    script = ["cd " + _quote(str(cwd))]
    for index, line in enumerate(lines):
        out, err, code = (folder / f"{index}.{kind}" for kind in ("out", "err", "code"))
        # A group, not a subshell: what a line exports or assigns stays for the next.
        script += ["{", line, f"}} > {out} 2> {err} && echo 0 > {code} || echo $? > {code}"]
    (folder / "block.sh").write_text("\n".join(script) + "\n")
    shell = f"{shutil.which('ip') or '/usr/sbin/ip'} link set lo up && " if isolated else ""
    command = [*isolated, "bash", "-c", f"{shell}exec bash -e {folder / 'block.sh'}"]
    process = subprocess.Popen(command, env=env, start_new_session=True)
    try:
        process.wait(timeout=BLOCK_SECONDS)
    finally:  # a server the block left running, or one still starting
        _kill_group(process.pid)
    ran = []
    for index, line in enumerate(lines):
        code, out, err = (folder / f"{index}.{kind}" for kind in ("code", "out", "err"))
        if not code.exists():
            ran.append(Line(line, -1, "", "(the line never ran)"))
            continue
        ran.append(Line(line, int(code.read_text()), out.read_text(errors="replace"),
                        err.read_text(errors="replace")))  # fmt: skip
    return ran


def mismatches(ran: list[Line]) -> list[Mismatch]:
    """The lines that did not do what they say (the first failing set-up line stops the
    list: every later line stands on it)."""
    found = []
    for line in ran:
        said = SAW.search(line.text)
        if said and said.group("status"):
            status, statuses = said.group("status"), STATUS_LINE.findall(line.stdout)
            did = f"exit {line.code}, status {statuses[-1] if statuses else 'none'}"
            if line.code != 0 or not statuses or statuses[-1] != status:
                found.append(Mismatch(line.text, f"status {status}", did, line.output))
        elif said:
            if line.code != int(said.group("code")):
                found.append(Mismatch(line.text, said.group(0), f"exit {line.code}", line.output))
        elif line.code != 0:
            found.append(Mismatch(line.text, "exit 0", f"exit {line.code}", line.output))
            break
    return found


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"
