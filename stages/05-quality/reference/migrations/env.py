"""How Alembic reaches the database and what it compares it with.

- The URL is the program's own: DATABASE_URL, or in development the same default SQLite
  file (read through core/config.py, so the two can never disagree about where the data
  is). In production, without DATABASE_URL, it stops and says so.
- `target_metadata` is the tables the code describes (repository.py). `alembic check` and
  `alembic revision --autogenerate` compare the database with it.
- `compare_type`: a column whose type changed (String(64) to Text, say) counts as a
  difference, not only a column that was added or removed.
- `render_as_batch`: SQLite can add a column but not change or drop one. In "batch" mode
  Alembic does it the way SQLite allows: copy the table, change the copy, swap them.
  PostgreSQL runs the same migration as plain ALTER TABLE statements.
"""

from logging.config import fileConfig
from typing import Any

from alembic import context

from expense_tracker.core.config import get_settings
from expense_tracker.db import make_engine
from expense_tracker.repository import Base

config = context.config
if config.config_file_name is not None:
    # disable_existing_loggers=False: leave the loggers of a program that runs the
    # migrations itself (the tests do) as they were.
    fileConfig(config.config_file_name, disable_existing_loggers=False)

DATABASE_URL = get_settings().require_database_url()
OPTIONS: dict[str, Any] = {
    "target_metadata": Base.metadata,
    "compare_type": True,
    "render_as_batch": True,
}


def run_migrations_offline() -> None:
    """`alembic upgrade head --sql`: print the SQL instead of running it, for a DBA who
    wants to read it, or must run it by hand."""
    context.configure(
        url=DATABASE_URL, literal_binds=True, dialect_opts={"paramstyle": "named"}, **OPTIONS
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = make_engine(DATABASE_URL)  # for SQLite, it makes the file's folder if needed
    try:
        with engine.connect() as connection:
            context.configure(connection=connection, **OPTIONS)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
