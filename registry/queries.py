"""Dialect-aware statements the store's modules share (the read models are in registry/repo/)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel

__all__ = ["insert_ignoring_conflicts"]


def insert_ignoring_conflicts(session: Session, model: type[SQLModel]) -> Any:
    """An INSERT that skips rows violating a unique constraint (ON CONFLICT DO NOTHING)."""
    dialect = session.get_bind().dialect.name
    table = model.__table__  # type: ignore[attr-defined]
    stmt = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
    return stmt.on_conflict_do_nothing()
