"""Fleet-wide poll counters per source, when a delivery failed, append-only review history

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

import registry.types

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("source") as batch:
        batch.add_column(sa.Column("polls_total", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("errors_total", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("delivery") as batch:
        batch.add_column(sa.Column("failed_at", registry.types.UTCDateTime(timezone=True), nullable=True))
    _append_only("review")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS review_no_update")
        op.execute("DROP TRIGGER IF EXISTS review_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS review_append_only ON review")
        op.execute("DROP FUNCTION IF EXISTS review_append_only()")
    with op.batch_alter_table("delivery") as batch:
        batch.drop_column("failed_at")
    with op.batch_alter_table("source") as batch:
        batch.drop_column("errors_total")
        batch.drop_column("polls_total")


def _append_only(table: str) -> None:
    """A recorded review is history: the database refuses UPDATE and DELETE, like the audit trail."""
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} history is append-only'); END"
            )
    else:
        op.execute(
            f"CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{table} history is append-only'; END $$"
        )
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"
        )
