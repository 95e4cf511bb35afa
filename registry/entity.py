"""The financial entity that keeps the register (the `entity:` block), stored as a single row."""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import Session

from registry.dora import ENTITY_KEYS
from registry.models import RegistryEntity


def read_entity(session: Session) -> dict[str, str]:
    """The entity block as the registry file writes it ({} when there is none)."""
    row = session.get(RegistryEntity, 1)
    if row is None:
        return {}
    return {k: getattr(row, k) for k in ENTITY_KEYS if getattr(row, k)}


def apply_entity(session: Session, entity: dict[str, str]) -> bool:
    """Make the stored entity the file's (none when the file has none); True when it changed."""
    if read_entity(session) == entity:
        return False
    session.execute(delete(RegistryEntity))
    if entity:
        session.add(RegistryEntity(id=1, **entity))
        session.flush()
    return True
