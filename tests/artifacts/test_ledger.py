"""A vendor incident after `artifacts record` lists the artifact and opens its revocation task."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel import select

from registry import api as registry_api
from registry.models import Incident, Task, Vendor
from tests.har.builders import Planted
from vendorwatch.app import App
from vendorwatch.har import artifacts

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
KEY = b"ledger-test-key"


def _incident(app: App, vendor: str) -> Incident:
    with app.session() as s:
        vendor_id = s.exec(select(Vendor).where(Vendor.name == vendor)).one().id or 0
        incident = Incident(vendor_id=vendor_id, kind="breach", title="Support system breach", alerted=True)
        s.add(incident)
        s.flush()
        s.expunge(incident)
    return incident


def _record(app: App, vendor: str, path: Path, case: str = "CASE-1") -> None:
    with app.session() as s:
        artifacts.record_artifact(s, vendor, case, path, key=KEY, by="alice", now=NOW)


def test_incident_opens_one_revocation_task_per_artifact_once(
    app: App, registry_file: Path, har_file: tuple[Path, list[Planted]]
) -> None:
    with app.session() as s:
        registry_api.import_file(s, registry_file)
    _record(app, "Okta", har_file[0])
    incident = _incident(app, "Okta")
    with app.session() as s:
        assert [a.filename for a in artifacts.artifacts_for_incident(s, incident)] == ["okta-case.har"]
        assert artifacts.open_artifact_tasks(s, incident, now=NOW) == 1
    with app.session() as s:
        assert artifacts.open_artifact_tasks(s, incident, now=NOW) == 0
        [task] = s.exec(select(Task).where(Task.incident_id == incident.id)).all()
    assert (task.key, task.step, task.owner) == (f"artifact:{task.artifact_id}:revoke", "revoke-artifact", "iam-team")
    assert task.title.startswith("Revoke sessions/tokens exposed in support artifact okta-case.har (case CASE-1): ")
    assert task.due_at == NOW + timedelta(hours=2)  # the shortest revocation SLA of Okta's dependencies


def test_other_vendors_and_token_free_artifacts_open_nothing(
    app: App, registry_file: Path, har_file: tuple[Path, list[Planted]], tmp_path: Path
) -> None:
    with app.session() as s:
        registry_api.import_file(s, registry_file)
    empty = tmp_path / "empty.har"
    empty.write_text('{"log": {"version": "1.2", "creator": {"name": "t", "version": "1"}, "entries": []}}')
    _record(app, "Okta", har_file[0])
    _record(app, "Zoom", empty)
    zoom = _incident(app, "Zoom")
    with app.session() as s:
        assert [a.filename for a in artifacts.artifacts_for_incident(s, zoom)] == ["empty.har"]
        assert artifacts.open_artifact_tasks(s, zoom, now=NOW) == 0
        assert artifacts.exposed_artifacts(s, zoom.vendor_id, since=NOW + timedelta(days=1)) == []
