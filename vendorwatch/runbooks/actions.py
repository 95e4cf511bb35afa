"""Closing tasks (done or waived), listing them, and per-incident progress against the SLAs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, assert_never

from sqlmodel import Session

from registry.errors import NotFoundError
from registry.models import Incident, Task, Vendor
from registry.repo import tasks as task_rows
from registry.vocab import TaskStatus
from vendorwatch.runbooks import audit


class TaskError(Exception):
    """A task cannot change as asked (already closed, missing reason); the message says why."""


class TaskNotFoundError(NotFoundError):
    """No task has this id."""


def get_task(session: Session, task_id: int) -> Task:
    """One task by id, or TaskNotFoundError."""
    task = session.get(Task, task_id)
    if task is None:
        raise TaskNotFoundError(f"no task with id {task_id} (see `vendorwatch tasks list`)")
    return task


def _close_action(status: TaskStatus) -> str:
    match status:
        case TaskStatus.done:
            return "task.completed"
        case TaskStatus.waived:
            return "task.waived"
        case TaskStatus.open:
            raise TaskError("closing a task needs a closed status")  # a programming error, said plainly
        case unreachable:
            assert_never(unreachable)


def _close(
    session: Session,
    task_id: int,
    status: TaskStatus,
    *,
    by: str,
    now: datetime,
    evidence: str | None = None,
    reason: str | None = None,
) -> Task:
    action = _close_action(status)
    if not by.strip():
        raise TaskError("--by is required: who closed the task")
    task = get_task(session, task_id)
    if task.status != TaskStatus.open:
        raise TaskError(f"task {task_id} is already {task.status} (by {task.closed_by}); closed tasks stay closed")
    before = audit.snapshot(task)
    task.status, task.closed_at, task.closed_by = status, now, by.strip()
    task.evidence = evidence if evidence is not None else task.evidence
    task.reason = reason
    session.flush()
    audit.record(
        session, at=now, actor=by.strip(), action=action, task_id=task_id, before=before, after=audit.snapshot(task)
    )
    return task


def complete(session: Session, task_id: int, *, by: str, evidence: str | None, now: datetime) -> Task:
    """Mark an open task done, with optional evidence (a ticket, a log line, a hook result)."""
    return _close(session, task_id, TaskStatus.done, by=by, now=now, evidence=evidence)


def waive(session: Session, task_id: int, *, by: str, reason: str, now: datetime) -> Task:
    """Close an open task without doing it; the reason is required and kept in the audit trail."""
    if not reason or not reason.strip():
        raise TaskError("a reason is required to waive a task")
    return _close(session, task_id, TaskStatus.waived, by=by, now=now, reason=reason.strip())


def assign(session: Session, task_id: int, *, to: str, by: str, now: datetime) -> Task:
    """Give an open task to another owner (audited as task.assigned)."""
    if not by.strip() or not to.strip():
        raise TaskError("--to and --by are required: the new owner and who reassigned the task")
    task = get_task(session, task_id)
    if task.status != TaskStatus.open:
        raise TaskError(f"task {task_id} is already {task.status}; only open tasks can be reassigned")
    if task.owner == to.strip():
        raise TaskError(f"task {task_id} is already owned by {task.owner}")
    before = audit.snapshot(task)
    task.owner = to.strip()
    session.flush()
    audit.record(
        session,
        at=now,
        actor=by.strip(),
        action="task.assigned",
        task_id=task_id,
        before=before,
        after=audit.snapshot(task),
    )
    return task


def list_tasks(
    session: Session,
    *,
    open_only: bool = False,
    overdue_only: bool = False,
    now: datetime,
    owner: str | None = None,
    incident_id: int | None = None,
) -> list[Task]:
    """Tasks by due time, optionally one owner's or one incident's; overdue means open and past due."""
    due_before = now if overdue_only else None
    return task_rows.list_tasks(
        session, open_only=open_only, due_before=due_before, owner=owner, incident_id=incident_id
    )


def is_overdue(task: Task, now: datetime) -> bool:
    """Open and past its due time."""
    return task.status == TaskStatus.open and task.due_at < now


SlaState = Literal["met", "missed", "pending", "none"]


@dataclass(frozen=True)
class Progress:
    """How far an incident's clean-up is: closed of total, time to revoke and whether the SLAs held."""

    closed: int
    total: int
    waived: int
    time_to_revoke: timedelta | None
    sla: SlaState
    late: tuple[int, ...]


def progress(session: Session, incident_id: int, *, now: datetime) -> Progress:
    """Progress of one incident. Waived tasks count as closed (and are counted in `waived`)."""
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise NotFoundError(f"no incident with id {incident_id}")
    tasks = task_rows.tasks_of_incident(session, incident_id)
    closed = [t for t in tasks if t.status != TaskStatus.open]
    late = tuple(
        t.id or 0 for t in tasks if (t.closed_at and t.closed_at > t.due_at) or (not t.closed_at and t.due_at < now)
    )
    ttr = None
    if tasks and len(closed) == len(tasks) and incident.alerted_at:
        ttr = max(t.closed_at for t in closed if t.closed_at) - incident.alerted_at
    sla: SlaState = "none" if not tasks else "missed" if late else "met" if ttr is not None else "pending"
    waived = sum(1 for t in tasks if t.status == TaskStatus.waived)
    return Progress(len(closed), len(tasks), waived, ttr, sla, late)


def vendor_name(session: Session, task: Task) -> str:
    """The registry name of the task's vendor."""
    vendor = session.get(Vendor, task.vendor_id)
    return vendor.name if vendor else ""
