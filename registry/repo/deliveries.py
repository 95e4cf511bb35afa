"""Reads of the alert outbox that reports and reminders need (the outbox's own claims live with it)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import Session, col

from registry.models import Delivery
from registry.vocab import DeliveryStatus


def sent_roots(session: Session) -> list[Delivery]:
    """Every root alert of an incident that was sent."""
    query = select(Delivery).where(
        col(Delivery.incident_id).is_not(None),
        col(Delivery.kind) == "root",
        col(Delivery.status) == DeliveryStatus.sent,
    )
    return list(session.execute(query).scalars())


def count_with_keys(session: Session, dedupe_keys: list[str]) -> int:
    """How many deliveries carry one of these dedupe keys."""
    query = select(func.count(col(Delivery.id))).where(col(Delivery.dedupe_key).in_(dedupe_keys))
    return int(session.execute(query).scalar_one())


def existing_keys(session: Session, dedupe_keys: list[str], *, batch: int = 500) -> set[str]:
    """Which of these dedupe keys the outbox already holds (asked in batches: one query per `batch` keys)."""
    found: set[str] = set()
    for start in range(0, len(dedupe_keys), batch):
        query = select(col(Delivery.dedupe_key)).where(col(Delivery.dedupe_key).in_(dedupe_keys[start : start + batch]))
        found.update(session.execute(query).scalars())
    return found
