"""Tasks can be snoozed from Slack: reminders wait until snoozed_until

Revision ID: 0006_i25
Revises: 0005_i18
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

import registry.types

revision = "0006_i25"
down_revision = "0005_i18"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("task") as batch:
        batch.add_column(sa.Column("snoozed_until", registry.types.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("task") as batch:
        batch.drop_column("snoozed_until")
