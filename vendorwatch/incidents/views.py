"""Incident read models for the CLI: they live in the store now (registry/repo/incidents.py).

Kept so the cli_* modules (being rewritten on other branches) keep importing `vendorwatch.views`; new code
imports registry.repo directly, and this module goes once they do.
"""

from __future__ import annotations

from sqlmodel import Session

from registry.models import Assessment, Task
from registry.repo import assessments
from registry.repo.incidents import IncidentView, Reference, get_incident, incident_view, list_incidents
from registry.repo.tasks import tasks_of_incident

__all__ = [
    "IncidentView",
    "Reference",
    "get_incident",
    "incident_assessments",
    "incident_tasks",
    "incident_view",
    "list_incidents",
]


def incident_tasks(session: Session, incident_id: int) -> list[Task]:
    """The rotation tasks of an incident, by due time."""
    return tasks_of_incident(session, incident_id, by_due=True)


def incident_assessments(session: Session, incident_id: int) -> list[Assessment]:
    """The assessments of an incident, baseline first."""
    return assessments.history(session, incident_id)
