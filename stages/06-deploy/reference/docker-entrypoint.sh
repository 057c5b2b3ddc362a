#!/bin/sh
# What the container runs first (the Dockerfile's ENTRYPOINT): bring the database's schema
# up to date, then run the command it was given, by default the web server (the CMD).
#
#     docker compose run --rm app expense-tracker create-admin --username admin
#
# runs the same migrations, then the CLI. Migrating at start is ADR 0020's choice: it fits
# one instance; with several, run the migrations once, as a job of their own, and start
# the servers after it.
set -eu

# alembic.ini sits next to this script, in the image and in the repository alike.
cd "$(dirname "$0")"
alembic upgrade head

# exec: the command replaces this shell, so it is PID 1 and receives SIGTERM directly.
exec "$@"
