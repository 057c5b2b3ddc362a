"""A small Chrome DevTools Protocol client: Debian's chromium, headless, driven over a websocket.

Just enough to load a page, read the DOM, click, type and take a screenshot, the way a
reader would. No browser is downloaded: it uses /usr/bin/chromium from apt.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

import websocket

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-port=0",  # any free port; chromium writes it to DevToolsActivePort
    "--window-size=1280,900",  # wide enough for material's navigation tabs
]


class BrowserError(AssertionError):
    """Chromium did not start, or the page did not do what a test waited for."""


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a process started with start_new_session=True, and everything it started."""
    if process.poll() is not None:
        return
    for sig, grace in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


class Chromium:
    def __init__(self, profile: Path) -> None:
        self.process = subprocess.Popen(
            [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.port = self._devtools_port(profile / "DevToolsActivePort")

    def _devtools_port(self, path: Path, timeout: float = 30) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BrowserError(f"chromium exited with code {self.process.returncode}")
            lines = path.read_text().split() if path.is_file() else []
            if lines:
                return int(lines[0])
            time.sleep(0.1)
        raise BrowserError(f"chromium did not open its DevTools port within {timeout:.0f} s")

    def page(self) -> Page:
        """A new tab, so one test's page state never leaks into the next."""
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/json/new?about:blank", method="PUT"
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            target = json.load(response)
        # No Origin header: chromium refuses DevTools websockets from unlisted origins.
        ws = websocket.create_connection(
            target["webSocketDebuggerUrl"], timeout=30, suppress_origin=True
        )
        return Page(ws, close=f"http://127.0.0.1:{self.port}/json/close/{target['id']}")

    def close(self) -> None:
        stop(self.process)


class Page:
    def __init__(self, ws: websocket.WebSocket, close: str) -> None:
        self.ws = ws
        self.close_url = close
        self.last_id = 0
        self.send("Page.enable")
        self.send("Runtime.enable")

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        self.last_id += 1
        self.ws.send(json.dumps({"id": self.last_id, "method": method, "params": params}))
        while True:  # skip the events that arrive before our answer
            message = json.loads(self.ws.recv())
            if message.get("id") == self.last_id:
                if "error" in message:
                    raise BrowserError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result

    def evaluate(self, expression: str) -> Any:
        reply = self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in reply:
            raise BrowserError(f"{expression}: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def wait_for(self, expression: str, what: str, timeout: float = 15) -> Any:
        """Poll a JavaScript expression until it is truthy; return its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise BrowserError(f"waited {timeout:.0f} s for {what}; `{expression}` = {value!r}")
            time.sleep(0.1)

    def goto(self, url: str) -> None:
        self.send("Page.navigate", url=url)
        self.wait_for(
            f"location.href === {json.dumps(url)} && document.readyState === 'complete'",
            f"{url} to load",
        )

    def click(self, selector: str) -> None:
        """Click the middle of an element, with real mouse events."""
        box = self.wait_for(
            f"(() => {{ const r = document.querySelector({json.dumps(selector)})"
            "?.getBoundingClientRect(); return r && r.width ? [r.x + r.width / 2,"
            " r.y + r.height / 2] : null })()",
            f"{selector} to be visible",
        )
        for kind in ("mousePressed", "mouseReleased"):
            self.send(
                "Input.dispatchMouseEvent",
                type=kind,
                x=box[0],
                y=box[1],
                button="left",
                clickCount=1,
            )

    def type(self, text: str) -> None:
        """Type into the focused element, one key at a time."""
        for char in text:
            self.send("Input.dispatchKeyEvent", type="keyDown", key=char, text=char)
            self.send("Input.dispatchKeyEvent", type="keyUp", key=char)

    def screenshot(self, path: Path) -> Path:
        data = self.send("Page.captureScreenshot", format="png")["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        self.ws.close()
        urllib.request.urlopen(self.close_url, timeout=10).close()
