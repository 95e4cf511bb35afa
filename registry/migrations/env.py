"""Alembic environment: runs against the engine handed over by registry.db."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import registry.models  # noqa: F401  (every table must be imported for autogenerate)
from registry.repo import workers  # noqa: F401  (worker_heartbeat, a Core table)

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        from registry.db import make_engine

        engine = make_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///vendorwatch.db")
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
