"""The built site, shared by the docs tests: one strict build per test session."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.docs.browser import stop

ROOT = Path(__file__).resolve().parents[2]
BUILD_TIMEOUT = 300


@dataclass
class Build:
    exit_code: int
    output: str
    site: Path

    def page(self, path: str) -> str:
        """The HTML of a built page, by its URL path (`stages/01-cli/`)."""
        return (self.site / path / "index.html").read_text("utf-8")


@pytest.fixture(scope="session")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """`mkdocs build --strict`, as `./nox -s docs` and the Pages workflow run it."""
    site = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs.yml", "-d", site],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return Build(result.returncode, result.stdout + result.stderr, site)


@pytest.fixture(scope="session")
def site(build: Build) -> Build:
    """The built site; fails every test that needs it when the build did not succeed."""
    if build.exit_code != 0:
        pytest.fail(f"the strict docs build failed:\n{build.output}")
    return build


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def served(site: Build) -> Iterator[str]:
    """The built site on http://127.0.0.1:PORT/ (the search index needs http, not file:)."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=site.site,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"http.server did not start on port {port}") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/"
    finally:
        stop(server)
