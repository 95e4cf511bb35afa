"""Regulatory clocks: DORA, NIS2 and SEC deadlines that start at a decision a person records (audited).

The clocks are computed in registry.repo.clocks; this module records the decisions and submissions.
The tool tracks the clocks; it does not decide whether an incident is reportable.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from registry.models import AuditEvent, Incident
from registry.repo import clocks as store
from registry.repo.clocks import MAJOR, MATERIAL, NOTIFIED, REGIMES, STEPS
from registry.repo.lifecycle import get_incident

__all__ = ["MAJOR", "MATERIAL", "NOTIFIED", "REGIMES", "STEPS", "ClockError", "deadlines", "record", "submitted"]


class ClockError(Exception):
    """A decision cannot be recorded as asked; the message says why."""


def _audit(
    session: Session, incident_id: int, action: str, by: str, now: datetime, after: dict[str, Any]
) -> AuditEvent:
    event = AuditEvent(
        at=now, actor=by.strip(), action=action, entity="incident", entity_id=str(incident_id), before=None, after=after
    )
    session.add(event)
    session.flush()
    return event


def record(
    session: Session, incident_id: int, action: str, *, by: str, now: datetime, aware: datetime | None = None
) -> AuditEvent:
    """Record a classification (major) or materiality decision on an alerted incident, audited."""
    if not by.strip():
        raise ClockError("--by is required: who made the decision")
    incident = get_incident(session, incident_id)
    if not incident.alerted:
        raise ClockError(f"incident {incident_id} was never alerted: no clock to start")
    if store.decision(session, incident_id, action) is not None:
        raise ClockError(f"incident {incident_id}: this decision is already recorded")
    aware_at = aware or incident.alerted_at or incident.opened_at
    if aware_at > now:
        raise ClockError("the awareness time is in the future")
    return _audit(
        session, incident_id, action, by, now, {"decided_at": now.isoformat(), "aware_at": aware_at.isoformat()}
    )


def submitted(
    session: Session, incident_id: int, regime: str, step: str, *, by: str, now: datetime, at: datetime | None = None
) -> AuditEvent:
    """Record that a regime's step (e.g. DORA initial notification) was submitted: its clock is met, audited."""
    if not by.strip():
        raise ClockError("--by is required: who submitted it")
    if regime not in STEPS:
        raise ClockError(f"unknown regime {regime!r} (allowed: {', '.join(REGIMES)})")
    if step not in STEPS[regime]:
        raise ClockError(f"{regime} has no step {step!r} (its steps: {', '.join(STEPS[regime])})")
    get_incident(session, incident_id)
    if store.decision(session, incident_id, MATERIAL if regime == "sec" else MAJOR) is None:
        command = "materiality ID --material" if regime == "sec" else "classify ID --major"
        raise ClockError(f"incident {incident_id}: no {regime} clock started (`vendorwatch incidents {command}`)")
    if any(d.step == step for d in store.deadlines(session, [regime], incident_ids=[incident_id]) if d.submitted_at):
        raise ClockError(f"incident {incident_id}: the {regime} {step} submission is already recorded")
    when = at or now
    if when > now:
        raise ClockError("the submission time is in the future")
    return _audit(
        session, incident_id, NOTIFIED, by, now, {"regime": regime, "step": step, "submitted_at": when.isoformat()}
    )


def deadlines(session: Session, incident: Incident, regimes: list[str], now: datetime) -> list[dict[str, Any]]:
    """Each regime's steps with their due time and status (pending, due-soon, overdue, met, late)."""
    return [d.as_json(now) for d in store.deadlines(session, regimes, incident_ids=[incident.id or 0])]
