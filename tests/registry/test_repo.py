"""registry/repo: the idempotent inserts and the claims the app relies on, the same on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from registry.db import ensure_schema, make_engine, session_scope, sqlite_file
from registry.models import Incident, Vendor
from registry.repo import tasks

T0 = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """A migrated store of each kind."""
    store = make_engine(db_url)
    ensure_schema(store)
    yield store
    store.dispose()


def _incident(engine: Engine) -> Incident:
    with session_scope(engine) as s:
        vendor = Vendor(name="Okta", owner="iam-team")
        s.add(vendor)
        s.flush()
        incident = Incident(vendor_id=vendor.id or 0, kind="breach", title="Okta breach", opened_at=T0)
        s.add(incident)
        return incident


def _open(engine: Engine, incident: Incident, key: str, due_in_h: int = 4) -> int | None:
    with session_scope(engine) as s:
        return tasks.insert_if_new(
            s,
            incident_id=incident.id,
            vendor_id=incident.vendor_id,
            key=key,
            step="rotate",
            title=f"Rotate {key}",
            owner="iam-team",
            status="open",
            created_at=T0,
            due_at=T0 + timedelta(hours=due_in_h),
        )


def test_a_task_opens_once_per_incident_and_key(engine: Engine) -> None:
    incident = _incident(engine)

    first, again, other = _open(engine, incident, "a"), _open(engine, incident, "a"), _open(engine, incident, "b", 1)

    assert first is not None and other is not None and again is None
    with session_scope(engine) as s:
        assert [t.key for t in tasks.list_tasks(s, open_only=True)] == ["b", "a"]  # by due time
        assert [t.key for t in tasks.list_tasks(s, due_before=T0 + timedelta(hours=2))] == ["b"]


@pytest.mark.postgres
def test_open_tasks_claimed_by_one_scheduler_are_skipped_by_another(pg_url: str) -> None:
    engine = make_engine(pg_url)
    ensure_schema(engine)
    incident = _incident(engine)
    for key in ("a", "b"):
        _open(engine, incident, key)

    with session_scope(engine) as first:
        claimed = tasks.claim_open(first)
        with session_scope(engine) as second:
            assert tasks.claim_open(second) == []  # SKIP LOCKED: the other scheduler moves on
    with session_scope(engine) as later:
        assert len(tasks.claim_open(later)) == len(claimed) == 2
    engine.dispose()


@pytest.mark.parametrize(
    ("url", "expected"),
    [("sqlite:///data/vw.db", "data/vw.db"), ("sqlite:///:memory:", None), ("postgresql+psycopg://h/vw", None)],
)
def test_only_a_sqlite_file_url_names_a_database_file(url: str, expected: str | None) -> None:
    found = sqlite_file(url)
    assert (str(found) if found else None) == expected
