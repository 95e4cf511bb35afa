"""An SLA stored before imports bounded it (500000w) still gives a deadline: capped at two years, no overflow."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, update

from registry.models import Credential, Dependency, Incident, Task
from tests.runbooks.conftest import T0, make_incident
from vendorwatch.app import App
from vendorwatch.runbooks import open_tasks

HUGE = 500_000 * 7 * 86400  # what `revocation_sla: 500000w` stored on SQLite: now + it overflowed datetime


def test_huge_stored_slas_are_capped_when_deadlines_are_computed(app: App, tmp_path: Path) -> None:
    incident = make_incident(app, tmp_path)
    huge = HUGE if app.engine.dialect.name == "sqlite" else 2**31 - 1  # PostgreSQL's integer stops at 68 years
    with app.session() as s:
        s.execute(update(Dependency).values(revocation_sla_s=huge))
        s.execute(update(Credential).values(rotation_sla_s=huge))

    with app.session() as s:
        assert open_tasks(s, s.get_one(Incident, incident.id), now=T0) == 10
    with app.session() as s:
        dues = [t.due_at - T0 for t in s.execute(select(Task)).scalars()]
    assert max(dues) == timedelta(days=730)
