"""What uvicorn serves: `uvicorn expense_tracker.api.main:app`.

The app is built when this module is imported, from the environment's settings (see
app.py for how). Tests import `create_app` from app.py instead, with settings of their
own, so importing them never needs a production environment.
"""

from expense_tracker.api.app import create_app
from expense_tracker.errors import ConfigurationError

try:
    app = create_app()
except ConfigurationError as error:
    # uvicorn imports this module before it listens: stop it here with one line that
    # names the variable, rather than a traceback that buries it.
    raise SystemExit(f"error: {error}") from None
