"""Opening tasks for an incident: one per affected dependency and credential, due by SLA."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, select
from sqlmodel import Session, col

from registry.models import AuditEvent, Credential, Dependency, Incident, Task
from registry.queries import insert_ignoring_conflicts

DEFAULT_SLA = timedelta(hours=24)


def open_tasks(session: Session, incident: Incident, *, now: datetime) -> int:
    """Open the incident's tasks (idempotent per incident and key); returns how many were new."""
    opened = 0
    deps = session.execute(select(Dependency).where(col(Dependency.vendor_id) == incident.vendor_id)).scalars()
    for dep in deps:
        sla = timedelta(seconds=dep.revocation_sla_s) if dep.revocation_sla_s else DEFAULT_SLA
        opened += _open(
            session,
            incident,
            f"dep:{dep.id}:revoke",
            "revoke",
            f"Revoke sessions and tokens of {dep.name}",
            dep.owner,
            now + sla,
            dependency_id=dep.id,
            now=now,
        )
        creds = session.execute(select(Credential).where(col(Credential.dependency_id) == dep.id)).scalars()
        for cred in creds:
            sla = timedelta(seconds=cred.rotation_sla_s) if cred.rotation_sla_s else DEFAULT_SLA
            opened += _open(
                session,
                incident,
                f"cred:{cred.id}:rotate",
                "rotate",
                f"Rotate {cred.name}",
                cred.owner or dep.owner,
                now + sla,
                dependency_id=dep.id,
                credential_id=cred.id,
                now=now,
            )
    return opened


def _open(session: Session, incident: Incident, key: str, step: str, title: str, owner: str, due: datetime,
          *, now: datetime, dependency_id: int | None = None, credential_id: int | None = None) -> int:  # fmt: skip
    stmt = insert_ignoring_conflicts(session, Task).values(
        incident_id=incident.id,
        vendor_id=incident.vendor_id,
        dependency_id=dependency_id,
        credential_id=credential_id,
        key=key,
        step=step,
        title=title,
        owner=owner,
        status="open",
        created_at=now,
        due_at=due,
    )
    if not cast(CursorResult[Any], session.execute(stmt)).rowcount:
        return 0
    session.add(
        AuditEvent(
            at=now,
            actor="vendorwatch",
            action="task.opened",
            entity="incident",
            entity_id=str(incident.id),
            after={"key": key, "title": title, "due_at": due.isoformat()},
        )
    )
    return 1
