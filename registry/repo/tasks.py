"""Rotation and revocation tasks: listing them, opening one idempotently, claiming open ones for the reminder job."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session, col

from registry.models import Task
from registry.queries import insert_ignoring_conflicts
from registry.repo.audit import counts_since
from registry.rows import REMINDER_FAILED, REMINDER_TRIES, REMINDERS_RESUMED
from registry.vocab import TaskStatus


def tasks_of_incident(session: Session, incident_id: int, *, by_due: bool = False) -> list[Task]:
    """The tasks of an incident (by due time, then id, when `by_due`)."""
    query = select(Task).where(col(Task.incident_id) == incident_id)
    if by_due:
        query = query.order_by(col(Task.due_at), col(Task.id))
    return list(session.execute(query).scalars())


def list_tasks(
    session: Session,
    *,
    open_only: bool = False,
    due_before: datetime | None = None,
    owner: str | None = None,
    incident_id: int | None = None,
) -> list[Task]:
    """Tasks by due time, then id; `due_before` keeps open tasks due before that time; optional filters."""
    query = select(Task).order_by(col(Task.due_at), col(Task.id))
    if owner is not None:
        query = query.where(col(Task.owner) == owner)
    if incident_id is not None:
        query = query.where(col(Task.incident_id) == incident_id)
    if open_only or due_before is not None:
        query = query.where(col(Task.status) == TaskStatus.open)
    if due_before is not None:
        query = query.where(col(Task.due_at) < due_before)
    return list(session.execute(query).scalars())


def all_by_due(session: Session) -> list[Task]:
    """Every task, by due time (the reports' input)."""
    return list(session.execute(select(Task).order_by(col(Task.due_at))).scalars())


def open_of_vendor(session: Session, vendor_id: int) -> list[Task]:
    """A vendor's open tasks."""
    query = select(Task).where(col(Task.vendor_id) == vendor_id, col(Task.status) == TaskStatus.open)
    return list(session.execute(query).scalars())


def claim_open(session: Session) -> list[Task]:
    """Open tasks by due time, locked for this transaction on PostgreSQL (SKIP LOCKED: two schedulers never
    remind the same task); SQLite's single writer serialises the job already."""
    query = select(Task).where(col(Task.status) == TaskStatus.open).order_by(col(Task.due_at), col(Task.id))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(session.execute(query).scalars())


def insert_if_new(
    session: Session,
    *,
    incident_id: int | None,
    vendor_id: int | None,
    key: str,
    step: str,
    title: str,
    owner: str,
    status: TaskStatus,
    created_at: datetime,
    due_at: datetime,
    dependency_id: int | None = None,
    credential_id: int | None = None,
    artifact_id: int | None = None,
) -> int | None:
    """Insert a task unless one with its (incident, key) exists; the new task's id, or None when it existed."""
    stmt = (
        insert_ignoring_conflicts(session, Task)
        .values(
            incident_id=incident_id,
            vendor_id=vendor_id,
            key=key,
            step=step,
            title=title,
            owner=owner,
            status=status,
            created_at=created_at,
            due_at=due_at,
            dependency_id=dependency_id,
            credential_id=credential_id,
            artifact_id=artifact_id,
        )
        .returning(col(Task.id))
    )
    # RETURNING says whether the row is new on both dialects (rowcount is -1 on psycopg here).
    task_id: int | None = session.execute(stmt).scalar_one_or_none()
    return task_id


def reminder_failures(session: Session) -> dict[str, int]:
    """Failed reminder attempts per task id since its reminders last resumed (set aside at REMINDER_TRIES)."""
    return counts_since(session, action=REMINDER_FAILED, entity="task", reset=REMINDERS_RESUMED)


def set_aside_count(session: Session) -> int:
    """Open tasks no longer reminded because their reminder failed REMINDER_TRIES times (`status`, metrics)."""
    failed = reminder_failures(session)
    return sum(1 for t in list_tasks(session, open_only=True) if failed.get(str(t.id), 0) >= REMINDER_TRIES)
