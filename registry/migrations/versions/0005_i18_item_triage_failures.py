"""An item whose triage raised records the error and its retries, and is quarantined after a few; untriaged
items are found by a partial index

Revision ID: 0005_i18
Revises: 0004_i19
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

import registry.types

revision = "0005_i18"
down_revision = "0004_i19"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("item") as batch:
        batch.add_column(sa.Column("triage_failures", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("triage_error", sa.String(), nullable=True))
        batch.add_column(sa.Column("triage_retry_at", registry.types.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("quarantined_at", registry.types.UTCDateTime(timezone=True), nullable=True))
    untriaged = sa.text("triaged_at IS NULL")  # a partial index: settled items cost it nothing
    op.create_index("ix_item_untriaged", "item", ["id"], sqlite_where=untriaged, postgresql_where=untriaged)


def downgrade() -> None:
    op.drop_index("ix_item_untriaged", table_name="item")
    with op.batch_alter_table("item") as batch:
        batch.drop_column("quarantined_at")
        batch.drop_column("triage_retry_at")
        batch.drop_column("triage_error")
        batch.drop_column("triage_failures")
