"""Regulatory clocks: DORA, NIS2 and SEC deadlines that start at a decision a person records (audited).

The tool tracks the clocks; it does not decide whether an incident is reportable.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from registry.models import AuditEvent, Incident
from registry.repo import lifecycle as store
from vendorwatch.incidents.holidays import add_business_days, add_month

REGIMES = ("dora", "nis2", "sec")
MAJOR, MATERIAL = "incident.classified_major", "incident.determined_material"


class ClockError(Exception):
    """A decision cannot be recorded as asked; the message says why."""


def record(session: Session, incident_id: int, action: str, *, by: str, now: datetime,
           aware: datetime | None = None) -> AuditEvent:  # fmt: skip
    """Record a classification (major) or materiality decision on an alerted incident, audited."""
    if not by.strip():
        raise ClockError("--by is required: who made the decision")
    incident = store.get_incident(session, incident_id)
    if not incident.alerted:
        raise ClockError(f"incident {incident_id} was never alerted: no clock to start")
    if _decision(session, incident_id, action) is not None:
        raise ClockError(f"incident {incident_id}: this decision is already recorded")
    aware_at = aware or incident.alerted_at or incident.opened_at
    if aware_at > now:
        raise ClockError("the awareness time is in the future")
    after = {"decided_at": now.isoformat(), "aware_at": aware_at.isoformat()}
    event = AuditEvent(at=now, actor=by.strip(), action=action, entity="incident", entity_id=str(incident_id),
                       before=None, after=after)  # fmt: skip
    session.add(event)
    session.flush()
    return event


def _decision(session: Session, incident_id: int, action: str) -> AuditEvent | None:
    return store.first_decision(session, incident_id, action)


def _steps(regime: str, decided: datetime, aware: datetime) -> list[tuple[str, datetime]]:
    if regime == "dora":  # Art. 19 DORA; Delegated Regulation (EU) 2025/301 Art. 5
        initial = min(decided + timedelta(hours=4), aware + timedelta(hours=24))
        intermediate = initial + timedelta(hours=72)
        return [("initial", initial), ("intermediate", intermediate), ("final", add_month(intermediate))]
    if regime == "nis2":  # Art. 23(4) NIS2: from becoming aware of a significant incident (the decision)
        notification = decided + timedelta(hours=72)
        return [("early-warning", decided + timedelta(hours=24)), ("notification", notification),
                ("final", add_month(notification))]  # fmt: skip
    return [("form-8-k", add_business_days(decided, 4))]  # Form 8-K Item 1.05: four business days


def deadlines(session: Session, incident: Incident, regimes: list[str], now: datetime) -> list[dict[str, Any]]:
    """Each regime's steps with their due time and status (pending, due within 24 h, overdue)."""
    result: list[dict[str, Any]] = []
    for regime in regimes:
        event = _decision(session, incident.id or 0, MATERIAL if regime == "sec" else MAJOR)
        if event is None or not event.after:
            continue
        decided = datetime.fromisoformat(event.after["decided_at"])
        aware = datetime.fromisoformat(event.after["aware_at"])
        for step, due in _steps(regime, decided, aware):
            status = "overdue" if due <= now else "due-soon" if due - now <= timedelta(hours=24) else "pending"
            result.append({"regime": regime, "step": step, "due": due.isoformat(), "status": status})
    return result
