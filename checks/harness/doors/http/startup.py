"""An app that must not start: a required setting missing, in production mode.

Stage 4 holds the signing key to this and stage 5 every required setting (the database's
too): started without it, the app exits before it listens, and the message it stops
with names the variable, since that is what the person deploying reads.
"""

from __future__ import annotations

from checks.harness.doors.http.served import ServedApp
from checks.harness.doors.storage import Storage
from checks.harness.failure import CheckFailed, shown_output
from checks.harness.manifest import Manifest
from checks.harness.workspace import Workspace

LAST_LINES = 12  # where a program's own error is: pydantic-settings ends with a URL line


def require_refusal(
    manifest: Manifest, workspace: Workspace, storage: Storage, timeout: float, variable: str
) -> None:
    """Start the app in production mode without `variable`; fail unless it exits before
    it listens and its last lines name the variable."""
    mode, production = manifest.production
    served = ServedApp(manifest, workspace, storage, timeout, {variable: None, mode: production})
    try:
        served.start()
    except CheckFailed:
        # pydantic-settings ends its error with a URL line: the name may be anywhere in
        # the last lines the program printed, on stdout or stderr. It names the field
        # (`secret_key`), which reads the variable whatever its case, so case is ignored.
        last = served.log_tail().strip().splitlines()[-LAST_LINES:]
        if any(variable.lower() in line.lower() for line in last):
            return
        raise CheckFailed(
            f"without {variable}, your app stopped, but its last lines do not name the variable",
            ran=served.command,
            got=shown_output(served.log_tail(), 800),
            expected=f"the error it stops with to name {variable}",
            fix=f"your app refuses to start, which is right; make the message say which "
            f'variable is missing, e.g. raise RuntimeError("{variable} is not set"), or let '
            f"pydantic-settings name the field ({variable.lower()}: str, with no default)",
        ) from None
    finally:
        served.stop()
    raise CheckFailed(
        f"your app started without {variable}, in production mode",
        ran=served.command,
        got=f"a server listening on {served.url}",
        expected=f"the app to exit before it listens, naming {variable}",
    )
