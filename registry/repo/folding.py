"""The store side of folding reports into incidents: a vendor's active incidents, which items already sit on
which timelines, and the rows written when a report opens or joins an incident (in the caller's transaction)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import event, select
from sqlmodel import Session, SQLModel, col

from registry.models import Incident, IncidentReference
from registry.repo import audit
from registry.repo.items import chunks


def keep_loaded(session: Session, models: tuple[type[SQLModel], ...]) -> None:
    """Hold on to the rows of these models the session loads, until it ends.

    The identity map holds rows weakly: a vendor or source row nobody keeps is read again by the next
    `session.get` of it (a follow-up reads its incident's vendor and every source on its timeline).
    """
    kept: list[Any] = session.info.setdefault("kept_rows", [])

    def keep(_: Any, instance: object) -> None:
        if isinstance(instance, models):
            kept.append(instance)

    event.listen(session, "loaded_as_persistent", keep)


def active_of_vendor(session: Session, vendor_id: int, *, active_since: datetime) -> list[Incident]:
    """The vendor's incidents with activity at or after `active_since`, by id."""
    query = (
        select(Incident)
        .where(col(Incident.vendor_id) == vendor_id, col(Incident.last_activity_at) >= active_since)
        .order_by(col(Incident.id))
    )
    return list(session.execute(query).scalars())


def timeline_entries(session: Session, item_ids: Sequence[int]) -> set[tuple[int, int]]:
    """(incident id, item id) of every timeline entry of these items."""
    found: set[tuple[int, int]] = set()
    for part in chunks(item_ids):
        query = select(col(IncidentReference.incident_id), col(IncidentReference.item_id)).where(
            col(IncidentReference.item_id).in_(part)
        )
        found.update((incident_id, item_id) for incident_id, item_id in session.execute(query).all())
    return found


def add_reference(session: Session, incident_id: int, item_id: int, role: str, now: datetime) -> None:
    """Put an item on an incident's timeline (written with the transaction's next flush)."""
    session.add(IncidentReference(incident_id=incident_id, item_id=item_id, role=role, added_at=now))


def open_incident(session: Session, incident: Incident) -> Incident:
    """Store a new incident now (its id is known on return)."""
    session.add(incident)
    session.flush()
    return incident


def audit_incident(session: Session, now: datetime, action: str, incident_id: int, after: dict[str, Any]) -> None:
    """Record what triage did to an incident in the audit trail."""
    audit.record(
        session, at=now, actor="vendorwatch", action=action, entity="incident", entity_id=str(incident_id), after=after
    )
