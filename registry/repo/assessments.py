"""An incident's assessments: the baseline when alerted, then one per material follow-up."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlmodel import Session, col

from registry.models import Assessment


def history(session: Session, incident_id: int) -> list[Assessment]:
    """Every assessment of an incident, baseline first."""
    query = select(Assessment).where(col(Assessment.incident_id) == incident_id).order_by(col(Assessment.seq))
    return list(session.execute(query).scalars())


def latest(session: Session, incident_id: int) -> Assessment | None:
    """The current assessment of an incident, if it has one."""
    query = select(Assessment).where(col(Assessment.incident_id) == incident_id).order_by(col(Assessment.seq).desc())
    return session.execute(query.limit(1)).scalars().first()


def latest_of(session: Session, incident_ids: Sequence[int]) -> dict[int, Assessment]:
    """Per incident: its highest-seq assessment, for those that have one."""
    if not incident_ids:
        return {}
    latest_by: dict[int, Assessment] = {}
    query = select(Assessment).where(col(Assessment.incident_id).in_(list(incident_ids)))
    for a in session.execute(query).scalars():
        if a.incident_id not in latest_by or a.seq > latest_by[a.incident_id].seq:
            latest_by[a.incident_id] = a
    return latest_by
