"""Worker heartbeats: who runs, since when, last beat and the last result of each job

Revision ID: 0007_i24
Revises: 0006_i25
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

import registry.types

revision = "0007_i24"
down_revision = "0006_i25"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "worker_heartbeat",
        sa.Column("worker_id", sa.String(), primary_key=True),
        sa.Column("host", sa.String(), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("started_at", registry.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_beat_at", registry.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("interval_s", sa.Float(), nullable=False),
        sa.Column("stopped_at", registry.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("jobs", sa.JSON(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("worker_heartbeat")
