"""Done, waive, double close, progress and the audit trail of every change."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlmodel import col

from registry.models import AuditEvent, Incident, Task
from tests.runbooks.conftest import T0
from vendorwatch.app import App
from vendorwatch.runbooks import open_tasks
from vendorwatch.runbooks.actions import TaskError, TaskNotFoundError, complete, list_tasks, progress, waive

H = timedelta(hours=1)


@pytest.fixture
def task_ids(app: App, incident: Incident) -> list[int]:
    """The incident's tasks, opened at T0, by due time."""
    with app.session() as s:
        open_tasks(s, s.get_one(Incident, incident.id), now=T0)
        return [t.id or 0 for t in list_tasks(s, now=T0)]


def test_done_and_waive_close_tasks_and_are_audited_with_before_and_after(app: App, task_ids: list[int]) -> None:
    with app.session() as s:
        complete(s, task_ids[0], by="alice", evidence="INC-1 sessions cleared", now=T0 + H)
        waive(s, task_ids[1], by="bob", reason="certificate not used since 2025", now=T0 + H)
    with app.session() as s:
        events = s.execute(select(AuditEvent).where(col(AuditEvent.action) != "task.opened")).scalars().all()
        done, waived = s.get_one(Task, task_ids[0]), s.get_one(Task, task_ids[1])
    assert (done.status, done.closed_by, done.evidence) == ("done", "alice", "INC-1 sessions cleared")
    assert (waived.status, waived.reason) == ("waived", "certificate not used since 2025")
    assert [(e.actor, e.action, e.entity_id) for e in events] == [
        ("alice", "task.completed", str(task_ids[0])),
        ("bob", "task.waived", str(task_ids[1])),
    ]
    assert events[0].before is not None and events[0].before["status"] == "open"
    assert events[0].after is not None and events[0].after["status"] == "done"


def test_a_closed_task_cannot_be_closed_again(app: App, task_ids: list[int]) -> None:
    with app.session() as s:
        complete(s, task_ids[0], by="alice", evidence=None, now=T0)
    with pytest.raises(TaskError, match="already done"), app.session() as s:
        waive(s, task_ids[0], by="bob", reason="dup", now=T0)


def test_waive_needs_a_reason_and_unknown_ids_are_reported(app: App, task_ids: list[int]) -> None:
    with pytest.raises(TaskError, match="reason is required"), app.session() as s:
        waive(s, task_ids[0], by="bob", reason="  ", now=T0)
    with pytest.raises(TaskNotFoundError, match="no task with id 999"), app.session() as s:
        complete(s, 999, by="bob", evidence=None, now=T0)


def test_list_filters_open_and_overdue(app: App, task_ids: list[int]) -> None:
    with app.session() as s:
        complete(s, task_ids[0], by="alice", evidence=None, now=T0)
        assert len(list_tasks(s, open_only=True, now=T0)) == 9
        overdue = list_tasks(s, overdue_only=True, now=T0 + 3 * H)
    assert [t.step for t in overdue] == ["rotate-credential"]  # 2h sessions; the 2h admin-session task is done


def test_progress_time_to_revoke_and_sla(app: App, incident: Incident, task_ids: list[int]) -> None:
    with app.session() as s:
        assert progress(s, incident.id or 0, now=T0).sla == "pending"
        for n, tid in enumerate(task_ids[:-1]):
            complete(s, tid, by="alice", evidence=None, now=T0 + timedelta(minutes=n))
        waive(s, task_ids[-1], by="bob", reason="out of scope", now=T0 + H)
        result = progress(s, incident.id or 0, now=T0 + H)
    assert (result.closed, result.total, result.waived) == (10, 10, 1)
    assert result.time_to_revoke == H and result.sla == "met"


def test_a_task_closed_after_its_due_time_misses_the_sla(app: App, incident: Incident, task_ids: list[int]) -> None:
    with app.session() as s:
        for tid in task_ids:
            complete(s, tid, by="alice", evidence=None, now=T0 + 3 * H)
        result = progress(s, incident.id or 0, now=T0 + 3 * H)
    assert result.sla == "missed" and len(result.late) == 2
    assert result.time_to_revoke == 3 * H
