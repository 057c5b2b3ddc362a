"""A small Chrome DevTools Protocol client: Debian's chromium, headless, driven over a websocket.

Just enough to load a page, read the DOM, click, type and take a screenshot, the way a
reader would; to cut a page off from every host but the site's, as a reader without a
network; and to make the window as narrow as a phone's. No browser is downloaded: it uses
/usr/bin/chromium from apt.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import time
import urllib.request
from collections.abc import Callable
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
        self.requested: list[str] = []  # every URL the page asked for, once offline() runs
        self.replies: dict[int, dict[str, Any]] = {}
        self.handlers: dict[str, Callable[[dict[str, Any]], None]] = {}
        self.send("Page.enable")
        self.send("Runtime.enable")

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        self.last_id += 1
        call = self.last_id
        self.ws.send(json.dumps({"id": call, "method": method, "params": params}))
        while call not in self.replies:  # events that arrive first go to their handlers
            self._receive()
        message = self.replies.pop(call)
        if "error" in message:
            raise BrowserError(f"{method}: {message['error']}")
        result: dict[str, Any] = message.get("result", {})
        return result

    def _receive(self) -> None:
        message = json.loads(self.ws.recv())
        if "id" in message:
            self.replies[message["id"]] = message
        elif handler := self.handlers.get(message.get("method", "")):
            handler(message.get("params", {}))  # it may send: its reply lands in `replies`

    def offline(self, site: str) -> list[str]:
        """Answer every request outside `site` as a machine without a network would.

        Returns the list of the URLs the page asked for and did not get, filled in as it
        asks (requests are handled while the test talks to the page, so within 0.1 s);
        `requested` lists every URL it asked for, the site's own included.
        """
        refused: list[str] = []

        def paused(params: dict[str, Any]) -> None:
            url, request = params["request"]["url"], params["requestId"]
            self.requested.append(url)
            try:
                if url.startswith(site):
                    self.send("Fetch.continueRequest", requestId=request)
                else:
                    refused.append(url)
                    self.send(
                        "Fetch.failRequest", requestId=request, errorReason="InternetDisconnected"
                    )
            except BrowserError:
                pass  # the page gave up on the request first (it navigated away)

        self.handlers["Fetch.requestPaused"] = paused
        self.send("Fetch.enable", patterns=[{"urlPattern": "*"}])
        return refused

    def viewport(self, width: int, height: int) -> None:
        """Lay pages out as a phone of this size would (CSS pixels, touch, no zoom-out)."""
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=True,
        )

    def evaluate(self, expression: str) -> Any:
        reply = self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in reply:
            raise BrowserError(f"{expression}: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def wait_for(self, expression: str, what: str, timeout: float = 15) -> Any:
        """Poll a JavaScript expression until it is truthy; return its value."""
        return self.poll(lambda: self.evaluate(expression), f"{what}; `{expression}`", timeout)

    def poll(self, probe: Callable[[], Any], what: str, timeout: float = 15) -> Any:
        """Call `probe` until it returns something truthy; return that."""
        deadline = time.monotonic() + timeout
        while True:
            value = probe()
            if value:
                return value
            if time.monotonic() > deadline:
                raise BrowserError(f"waited {timeout:.0f} s for {what} = {value!r}")
            time.sleep(0.1)

    def goto(self, url: str) -> None:
        self.send("Page.navigate", url=url)
        self.wait_for(
            f"location.href === {json.dumps(url)} && document.readyState === 'complete'",
            f"{url} to load",
        )

    def click(self, selector: str) -> None:
        """Click the middle of an element, with real mouse events, once nothing covers it."""
        box = self.wait_for(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
            " const r = e?.getBoundingClientRect(); if (!r?.width) return null;"
            " const [x, y] = [r.x + r.width / 2, r.y + r.height / 2];"
            " return e.contains(document.elementFromPoint(x, y)) ? [x, y] : null })()",
            f"{selector} to be visible and uncovered",
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

    def press(self, key: str) -> None:
        """Press and release a named key, such as Escape (one that types no text)."""
        code = {"Escape": 27, "Enter": 13, "Tab": 9}[key]
        for kind in ("rawKeyDown", "keyUp"):
            self.send(
                "Input.dispatchKeyEvent", type=kind, key=key, code=key, windowsVirtualKeyCode=code
            )

    def screenshot(self, path: Path) -> Path:
        data = self.send("Page.captureScreenshot", format="png")["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        self.ws.close()
        urllib.request.urlopen(self.close_url, timeout=10).close()
