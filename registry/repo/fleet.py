"""The fleet-wide reads `/metrics` exports: sources, outbox rows by channel and status, row counts, latency."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session, col

from registry.models import Delivery, Incident, IncidentReference, Item, Source, Task
from registry.vocab import DeliveryStatus, TaskStatus


@dataclass(frozen=True)
class FleetCounts:
    """Rows stored: items, incidents (and of them alerted), open rotation tasks."""

    items: int
    incidents: int
    incidents_alerted: int
    tasks_open: int


def all_sources(session: Session) -> list[Source]:
    """Every Source row."""
    return list(session.execute(select(Source)).scalars())


def deliveries_by_channel_status(session: Session) -> list[tuple[str, str, int]]:
    """(channel, status, rows) for every pair present in the outbox."""
    query = select(col(Delivery.channel), col(Delivery.status), func.count()).group_by(
        col(Delivery.channel), col(Delivery.status)
    )
    return [(channel, status, int(n)) for channel, status, n in session.execute(query)]


def counts(session: Session) -> FleetCounts:
    """How many items, incidents, alerted incidents and open tasks are stored."""
    items = session.execute(select(func.count(col(Item.id)))).scalar()
    incidents = session.execute(select(func.count(col(Incident.id)))).scalar()
    alerted = session.execute(select(func.count(col(Incident.id))).where(col(Incident.alerted))).scalar()
    opened = session.execute(select(func.count()).select_from(Task).where(col(Task.status) == TaskStatus.open)).scalar()
    return FleetCounts(items or 0, incidents or 0, alerted or 0, opened or 0)


def sent_slack_roots(session: Session) -> dict[int, datetime]:
    """When each incident's Slack root message was sent, by incident id."""
    roots = session.execute(
        select(col(Delivery.incident_id), col(Delivery.sent_at)).where(
            col(Delivery.kind) == "root", col(Delivery.status) == DeliveryStatus.sent, col(Delivery.channel) == "slack"
        )
    ).all()
    return {iid: at for iid, at in roots if iid is not None and at is not None}


def items_of_incidents(session: Session, incident_ids: list[int]) -> list[tuple[int, Item]]:
    """(incident id, item) for every item referenced by these incidents."""
    query = select(col(IncidentReference.incident_id), Item).join(Item, col(Item.id) == col(IncidentReference.item_id))
    rows = session.execute(query.where(col(IncidentReference.incident_id).in_(incident_ids)))
    return [(iid, item) for iid, item in rows]
