"""Stage 3 · 03-api: the same services behind a FastAPI web API."""

MODULES = ("server", "crud", "errors", "persistence", "layers")
