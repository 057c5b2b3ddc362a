"""Stage 4 · 04-auth: users, logins, ownership and migrations, on PostgreSQL."""

MODULES = ("migrations", "accounts", "tokens", "ownership", "secrets")
