"""The storage door: throw-away storage for each check, and reading what a program stored.

Today a JSON file (stage 1) or a SQLite file (stages 2-3); stage 4 adds PostgreSQL behind
the same `env()` / `setup_lines()` / `rows()`.
"""

from checks.harness.doors.storage.throwaway import DATABASE_ENV, OLD_DATA_ENV, Storage

__all__ = ["DATABASE_ENV", "OLD_DATA_ENV", "Storage"]
