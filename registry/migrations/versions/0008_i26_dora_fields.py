"""DORA register of information: per-vendor fields (one JSON column) and the entity keeping the register

Revision ID: 0008_i26
Revises: 0007_i24
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_i26"
down_revision = "0007_i24"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("vendor") as batch:
        batch.add_column(sa.Column("dora", sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
    op.create_table(
        "registry_entity",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("lei", sa.String(), nullable=False),
        sa.Column("country", sa.String(), nullable=False),
        sa.Column("authority", sa.String(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("registry_entity")
    with op.batch_alter_table("vendor") as batch:
        batch.drop_column("dora")
