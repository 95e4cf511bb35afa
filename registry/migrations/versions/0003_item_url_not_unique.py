"""Item URLs are indexed, not unique: several entries of one feed may link to the same page

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# 0001 left the URL constraint unnamed: PostgreSQL calls it item_url_key; SQLite gets a name from this
# convention so batch mode can drop it while copying the table.
PG_NAME = "item_url_key"
SQLITE_CONVENTION = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    name = "uq_item_url" if sqlite else PG_NAME
    with op.batch_alter_table("item", naming_convention=SQLITE_CONVENTION if sqlite else None) as batch:
        batch.drop_constraint(name, type_="unique")
        batch.create_index("ix_item_url", ["url"], unique=False)


def downgrade() -> None:
    # Fails if two items now share a URL: remove the duplicates first (there is no right one to keep for you).
    with op.batch_alter_table("item") as batch:
        batch.drop_index("ix_item_url")
        batch.create_unique_constraint(PG_NAME, ["url"])
