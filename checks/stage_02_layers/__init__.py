"""Stage 2 · 02-layers: domain, services and a SQLAlchemy repository on SQLite; Git."""

MODULES = ("storage", "layers", "service_tests", "git")
