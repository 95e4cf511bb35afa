"""Reads for an incident's root alert: what of ours the vendor's incident touches, artifacts, open tasks."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session, col

from registry.models import Artifact, Credential, Dependency, Incident, Task


def footprint(session: Session, incident: Incident) -> tuple[list[Dependency], list[Credential], list[Task]]:
    """The vendor's dependencies and credentials (by name) and the incident's tasks (by due time)."""
    deps = list(
        session.execute(
            select(Dependency).where(col(Dependency.vendor_id) == incident.vendor_id).order_by(col(Dependency.name))
        ).scalars()
    )
    creds = list(
        session.execute(
            select(Credential)
            .where(col(Credential.dependency_id).in_([d.id for d in deps]))
            .order_by(col(Credential.name))
        ).scalars()
    )
    tasks = list(
        session.execute(
            select(Task).where(col(Task.incident_id) == incident.id).order_by(col(Task.due_at), col(Task.id))
        ).scalars()
    )
    return deps, creds, tasks


def vendor_artifacts(session: Session, vendor_id: int) -> list[Artifact]:
    """Support artifacts recorded for a vendor, oldest first."""
    query = select(Artifact).where(col(Artifact.vendor_id) == vendor_id).order_by(col(Artifact.id))
    return list(session.execute(query).scalars())
