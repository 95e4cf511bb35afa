"""Incidents close: resolve, dismiss (tasks waived, root updated, out of the board), reopen, quiet auto-close."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import col

from registry.models import AuditEvent, Delivery, Incident, Task
from reports.metrics import board_metrics
from tests.runbooks.conftest import T0
from vendorwatch.app import App
from vendorwatch.incidents import lifecycle
from vendorwatch.runbooks import open_tasks


@pytest.fixture
def tasks(app: App, incident: Incident) -> int:
    """The incident's rotation tasks, opened at T0; returns the incident id."""
    with app.session() as s:
        open_tasks(s, s.get_one(Incident, incident.id), now=T0)
    return incident.id or 0


def _events(app: App, incident_id: int) -> list[AuditEvent]:
    with app.session() as s:
        query = select(AuditEvent).where(col(AuditEvent.entity) == "incident")
        query = query.where(col(AuditEvent.entity_id) == str(incident_id))
        return list(s.execute(query.order_by(col(AuditEvent.id))).scalars())


def test_dismiss_waives_open_tasks_updates_the_root_and_leaves_the_board(app: App, tasks: int) -> None:
    with app.session() as s:
        assert board_metrics(s, now=T0).current.incidents == 1
        _, waived = lifecycle.dismiss(
            s, app.settings, tasks, by="carol", reason=lifecycle.DismissReason.not_affected, now=T0 + timedelta(hours=1)
        )
    assert waived == 10
    with app.session() as s:
        statuses = {t.status for t in s.execute(select(Task)).scalars()}
        update = s.execute(select(Delivery).where(col(Delivery.kind) == "update")).scalars().one()
        assert statuses == {"waived"} and ["Status", "dismissed"] in update.payload["fields"]
        assert s.get_one(Incident, tasks).status == "dismissed"  # still in the record
        assert board_metrics(s, now=T0).current.incidents == 0
    [event] = _events(app, tasks)
    assert (event.action, event.actor, event.after and event.after["reason"]) == (
        "incident.dismissed",
        "carol",
        "not-affected",
    )


def test_resolve_then_reopen_are_audited_and_a_closed_incident_cannot_close_twice(app: App, tasks: int) -> None:
    with app.session() as s:
        lifecycle.resolve(s, app.settings, tasks, by="alice", note="all rotated", now=T0)
    with app.session() as s, pytest.raises(lifecycle.LifecycleError, match="already resolved"):
        lifecycle.dismiss(s, app.settings, tasks, by="bob", reason=lifecycle.DismissReason.duplicate, now=T0)
    with app.session() as s:
        lifecycle.reopen(s, app.settings, tasks, by="bob", note=None, now=T0 + timedelta(days=1))
        assert s.get_one(Incident, tasks).status == "open" and s.get_one(Incident, tasks).closed_at is None
    actions = [(e.action, e.before and e.before["status"], e.after and e.after["status"]) for e in _events(app, tasks)]
    assert actions == [("incident.resolved", "open", "resolved"), ("incident.reopened", "resolved", "open")]


def test_recorded_outages_close_after_a_quiet_period(app: App, incident: Incident, tmp_path: Path) -> None:
    with app.session() as s:
        for days, kind in ((3, "outage"), (1, "outage"), (3, "vuln-advisory")):
            when = T0 - timedelta(days=days)
            s.add(
                Incident(
                    vendor_id=incident.vendor_id,
                    kind=kind,
                    title=f"{kind} {days}d ago",
                    alerted=False,
                    opened_at=when,
                    last_activity_at=when,
                )
            )
    assert lifecycle.close_quiet(app) == 1
    assert lifecycle.close_quiet(app) == 0  # closed once
    with app.session() as s:
        rows = {i.title: i.status for i in s.execute(select(Incident)).scalars()}
    assert rows["outage 3d ago"] == "resolved" and rows["outage 1d ago"] == "open"
    assert rows["vuln-advisory 3d ago"] == "open" and rows["Okta support system breach"] == "open"  # alerted


def test_assign_moves_an_open_task_and_lists_filter_by_owner_and_incident(app: App, tasks: int) -> None:
    from vendorwatch.runbooks import actions

    with app.session() as s:
        mine = actions.list_tasks(s, now=T0, owner="secops", incident_id=tasks)
        first = actions.list_tasks(s, now=T0, owner="platform-team")[0]
        actions.assign(s, first.id or 0, to="secops", by="dana", now=T0)
    with app.session() as s:
        assert len(actions.list_tasks(s, now=T0, owner="secops")) == len(mine) + 1
        assert actions.list_tasks(s, now=T0, incident_id=tasks + 1) == []
        event = s.execute(select(AuditEvent).order_by(col(AuditEvent.id).desc()).limit(1)).scalar_one()
    assert (event.action, event.actor, event.before and event.before["owner"]) == (
        "task.assigned",
        "dana",
        "platform-team",
    )
