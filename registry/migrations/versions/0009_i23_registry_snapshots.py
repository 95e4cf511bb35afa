"""Registry history: per-vendor tallies at each change (and at most daily), for quarter-on-quarter figures

Revision ID: 0009_i23
Revises: 0008_i26
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

import registry.types

revision = "0009_i23"
down_revision = "0008_i26"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "registry_snapshot",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("taken_at", registry.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("checked_at", registry.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("digest", sa.String(), nullable=False),
        sa.Column("vendors", sa.Integer(), nullable=False),
        sa.Column("dependencies", sa.Integer(), nullable=False),
        sa.Column("tallies", sa.JSON(), nullable=False),
    )
    op.create_index("ix_registry_snapshot_taken_at", "registry_snapshot", ["taken_at"])


def downgrade() -> None:
    op.drop_index("ix_registry_snapshot_taken_at", "registry_snapshot")
    op.drop_table("registry_snapshot")
