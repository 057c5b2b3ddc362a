"""Create the users and expenses tables.

Revision ID: 0001
Create Date: stage 4

The first migration: it builds, on an empty database, exactly the tables repository.py
describes (`alembic check` after `alembic upgrade head` finds no difference). A database
made by stage 3's create_all has an `expenses` table with no owners; this migration does
not adopt it (see docs/decisions/0013).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("is_admin", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "expenses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("category", sa.String(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_expenses_owner_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expenses")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_expenses_owner_id"), "expenses", ["owner_id"])


def downgrade() -> None:
    # The reverse, in the reverse order: expenses point at users, so they go first.
    op.drop_index(op.f("ix_expenses_owner_id"), table_name="expenses")
    op.drop_table("expenses")
    op.drop_table("users")
