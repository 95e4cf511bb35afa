"""Regulatory clocks read from the audit trail: the decisions that start them, the submissions that stop them.

DORA, NIS2 and SEC deadlines are computed from audited decisions (`incident.classified_major`,
`incident.determined_material`) and each step's recorded submission (`incident.notified`). The tool tracks
the clocks; it does not decide whether an incident is reportable (docs/regulation.md).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlmodel import Session, col

from registry.deadlines import (
    DUE_SOON,
    LABELS,
    MAJOR,
    MATERIAL,
    NOTIFIED,
    REGIMES,
    STEPS,
    Deadline,
    compute,
)
from registry.models import AuditEvent, Incident

__all__ = ["DUE_SOON", "LABELS", "MAJOR", "MATERIAL", "NOTIFIED", "REGIMES", "STEPS", "Deadline", "deadlines"]


def _events(session: Session, incident_ids: Iterable[int] | None) -> list[AuditEvent]:
    query = select(AuditEvent).where(
        col(AuditEvent.entity) == "incident", col(AuditEvent.action).in_([MAJOR, MATERIAL, NOTIFIED])
    )
    if incident_ids is not None:
        query = query.where(col(AuditEvent.entity_id).in_([str(i) for i in incident_ids]))
    return list(session.execute(query.order_by(col(AuditEvent.id))).scalars())


def deadlines(
    session: Session, regimes: Iterable[str], *, incident_ids: Iterable[int] | None = None, skip_dismissed: bool = False
) -> list[Deadline]:
    """Every started clock's steps (of these incidents, or all), by incident then regime order then step."""
    wanted = [r for r in regimes if r in REGIMES]
    if not wanted:
        return []
    found = compute(_events(session, incident_ids), wanted)
    dismissed = _dismissed(session, {d.incident_id for d in found}) if skip_dismissed else set()
    return [d for d in found if d.incident_id not in dismissed]


def _dismissed(session: Session, ids: set[int]) -> set[int]:
    if not ids:
        return set()
    query = select(col(Incident.id)).where(col(Incident.id).in_(ids), col(Incident.status) == "dismissed")
    return {int(i) for i in session.execute(query).scalars()}


def decision(session: Session, incident_id: int, action: str) -> AuditEvent | None:
    """The first audit event of a decision or submission `action` on an incident, if any."""
    query = select(AuditEvent).where(
        col(AuditEvent.entity) == "incident", col(AuditEvent.entity_id) == str(incident_id)
    )
    return session.execute(query.where(col(AuditEvent.action) == action).order_by(col(AuditEvent.id))).scalars().first()
