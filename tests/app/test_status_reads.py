"""`status` reads without the ORM on a current schema (a health check starts fast): it must say what the store says.

The quick read (registry.readonly over sqlite3 or psycopg) and the store's own path (`collect`: migrate, then read
on an ORM session) are held to one answer on a store with something in every corner `status` shows.
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from registry import readonly
from registry.deadlines import compute
from registry.models import Delivery, Incident, Item, Source, Task, Vendor
from registry.repo import audit, gates, items, outbox, workers
from registry.repo import clocks as store_clocks
from registry.repo import sources as sources_repo
from registry.repo import tasks as task_rows
from registry.rows import REMINDER_FAILED, REMINDER_TRIES, REMINDERS_RESUMED, WorkerBeat
from vendorwatch.app import App
from vendorwatch.incidents import clocks
from vendorwatch.ops import status
from vendorwatch.poll.sources import sync_sources
from vendorwatch.settings import Settings, SourceSettings

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def alerted_incident(s: Session, vendor_id: int, alerted: datetime) -> int:
    """An Okta breach incident alerted (and opened) at `alerted`; its id."""
    incident = Incident(
        vendor_id=vendor_id,
        kind="breach",
        title="Okta breach",
        alerted=True,
        alerted_at=alerted,
        opened_at=alerted,
    )
    s.add(incident)
    s.flush()
    return incident.id or 0


def _populate(app: App) -> dict[str, int]:
    """Something in every corner: failing source, waiting/failed/held deliveries, tasks, workers, clocks, gates."""
    ids: dict[str, int] = {}
    with app.session() as s:
        sync_sources(s, app.settings.sources[:1])  # "quiet" is configured but not polled (nor stored) yet
        vendor = Vendor(name="Okta", criticality="critical")
        s.add(vendor)
        s.flush()
        late = alerted_incident(s, vendor.id or 0, NOW - timedelta(hours=30))
        soon = alerted_incident(s, vendor.id or 0, NOW - timedelta(hours=1))
        gone = alerted_incident(s, vendor.id or 0, NOW - timedelta(hours=30))
        for iid in (late, soon, gone):
            clocks.record(s, iid, clocks.MAJOR, by="ciso", now=NOW - timedelta(minutes=30))
        s.get_one(Incident, gone).status = "dismissed"  # its clock stays in the trail, off the board
        s.flush()
        ids |= {"late": late, "soon": soon, "gone": gone}
        source = s.get_one(Source, "flaky")
        source.consecutive_failures, source.last_error = 4, "HTTP 503 Service Unavailable"
        source.last_polled_at = source.last_success_at = NOW - timedelta(hours=2)
        source.next_poll_at = NOW + timedelta(minutes=5)
        rows = [
            ("pending", "root", NOW - timedelta(minutes=20), NOW),
            ("sending", "reply", NOW - timedelta(minutes=3), NOW),
            ("failed", "root", NOW - timedelta(days=2), NOW - timedelta(days=2)),
            ("collecting", "reply", NOW - timedelta(minutes=30), NOW - timedelta(minutes=15)),
            ("collecting", "reply", NOW - timedelta(minutes=1), NOW + timedelta(minutes=9)),
            ("sent", "root", NOW - timedelta(hours=3), NOW - timedelta(hours=3)),
        ]
        for n, (state, kind, created, due) in enumerate(rows):
            s.add(
                Delivery(
                    incident_id=late,
                    channel="slack",
                    kind=kind,
                    dedupe_key=f"k{n}",
                    status=state,
                    created_at=created,
                    next_attempt_at=due,
                )
            )
        tasks = [
            Task(
                incident_id=late,
                vendor_id=vendor.id or 0,
                key=f"t{n}",
                step="rotate",
                title="Rotate",
                status=state,
                due_at=due,
            )
            for n, (state, due) in enumerate(
                [
                    ("open", NOW - timedelta(hours=1)),
                    ("open", NOW + timedelta(days=1)),
                    ("done", NOW - timedelta(days=1)),
                ]
            )
        ]
        s.add_all(tasks)
        s.flush()
        ids["set_aside"] = tasks[1].id or 0
        for _ in range(REMINDER_TRIES):
            audit.record(
                s, at=NOW, actor="vendorwatch", action=REMINDER_FAILED, entity="task", entity_id=str(tasks[1].id)
            )
        s.add(Item(source_id="flaky", guid="g1", url="https://example.test/1", title="t", quarantined_at=NOW))
        s.add(Item(source_id="flaky", guid="g2", url="https://example.test/2", title="t"))
        for worker_id, beat, stopped in (
            ("a:1", NOW - timedelta(seconds=5), None),
            ("b:2", NOW - timedelta(hours=1), None),
        ):
            jobs = {"poll": {"failures_in_a_row": 3, "last_error": "boom"}} if worker_id == "a:1" else {}
            workers.beat(s, WorkerBeat(worker_id, "host", 1, NOW - timedelta(days=1), beat, 10.0, stopped, jobs))
        gates.warn(s, "slack", "missing scope chat:write.public")
        gates.reserve(s, "webhook", NOW, timedelta(seconds=1))
        gates.release(s, "webhook", NOW, failures=3, error="HTTP 500")
        gates.store_target(s, "slack", "#gone", None, NOW, problem="channel_not_found")
    return ids


def _app(db_url: str) -> App:
    settings = Settings(
        database_url=db_url,
        channels=["slack"],
        regimes=["dora"],
        sources=[
            SourceSettings(id="flaky", url="https://feeds.example.test/flaky.xml"),
            SourceSettings(id="quiet", url="https://feeds.example.test/quiet.xml"),
        ],
    )
    return App(settings=settings, clock=lambda: NOW)


def test_the_quick_read_says_what_the_store_says(db_url: str) -> None:
    app = _app(db_url)
    ids = _populate(app)
    full = status.collect(app)
    quick = status.quick(app.settings, NOW)
    assert quick is not None, "a current schema is read without the ORM"
    assert quick == full
    # ...and the answer is the one a responder needs, not two empty ones that agree.
    assert [(s.id, s.consecutive_failures) for s in quick.sources] == [("flaky", 4), ("quiet", 0)]
    assert (quick.outbox_depth, quick.failed_deliveries, quick.outbox_oldest_age_s) == (2, 1, 1200.0)
    assert (quick.collecting, quick.collecting_due, quick.collecting_overdue_s) == (2, 1, 900.0)
    assert (quick.open_tasks, quick.overdue_tasks, quick.quarantined_tasks, quick.quarantined_items) == (2, 1, 1, 1)
    assert [(w.worker_id, w.state) for w in quick.workers] == [("a:1", "live"), ("b:2", "dead")]
    assert [(d.incident_id, d.status) for d in quick.deadlines] == [(ids["late"], "overdue"), (ids["soon"], "due-soon")]
    assert "worker a:1: job poll failed on its last 3 runs (boom)" in quick.problems
    assert "channel slack: missing scope chat:write.public" in quick.problems
    assert "channel webhook: failing (3 in a row, probed): HTTP 500" in quick.problems
    assert "channel slack:#gone: channel_not_found" in quick.problems


def test_a_database_the_store_must_open_first_is_not_read_quickly(sqlite_url: str, tmp_path: Path) -> None:
    settings = Settings(database_url=sqlite_url, channels=["console"])
    assert status.quick(settings, NOW) is None, "no file yet: the store creates it"
    assert not (tmp_path / "vendorwatch.db").exists(), "and the quick read did not create it"
    app = App(settings=settings, clock=lambda: NOW)
    assert status.collect(app).healthy
    assert status.quick(settings, NOW) == status.collect(app)
    with app.session() as s:
        s.connection().exec_driver_sql("UPDATE alembic_version SET version_num = 'older'")
    assert status.quick(settings, NOW) is None, "a schema of another version: the store migrates it"
    assert status.quick(Settings(database_url="sqlite://", channels=["console"]), NOW) is None


def test_the_quick_reader_cannot_write(db_url: str) -> None:
    app = _app(db_url)
    with app.session() as s:
        sync_sources(s, app.settings.sources)
    reader = readonly.open_reader(app.settings.database_url, app.settings.db_timeouts)
    assert reader is not None
    with pytest.raises(Exception) as refused:
        reader.rows("DELETE FROM source")
    reader.close()
    assert readonly.driver_error(refused.value)
    with app.session() as s:
        assert sorted(sources_repo.all_by_id(s)) == ["flaky", "quiet"]


def test_failures_count_from_the_latest_resume_of_each_task(db_url: str) -> None:
    app = _app(db_url)
    task = _populate(app)["set_aside"]
    failed = {"action": REMINDER_FAILED, "entity": "task", "reset": REMINDERS_RESUMED}
    with app.session() as s:
        assert task_rows.reminder_failures(s) == {str(task): REMINDER_TRIES}  # no resume yet: counted in SQL
        for action in (REMINDERS_RESUMED, REMINDER_FAILED):  # resumed by an operator, then failed once more
            audit.record(s, at=NOW, actor="ops", action=action, entity="task", entity_id=str(task))
    with app.session() as s:
        assert task_rows.reminder_failures(s) == {str(task): 1}
        assert readonly.counts_since(readonly.Reader.of_session(s), **failed) == {str(task): 1}
    assert status.quick(app.settings, NOW).quarantined_tasks == 0  # type: ignore[union-attr]


def test_each_quick_read_matches_the_store_query_it_stands_for(db_url: str) -> None:
    """Where the store's ORM query serves others too (metrics, dispatch, reports), both must say the same."""
    app = _app(db_url)
    _populate(app)
    reader = readonly.open_reader(app.settings.database_url, app.settings.db_timeouts)
    assert reader is not None
    try:
        with app.session() as s:
            counts = outbox.counts(s)
            assert readonly.outbox_counts(reader) == (counts.waiting, counts.failed) == (2, 1)
            open_ = task_rows.list_tasks(s, open_only=True)
            assert sorted(readonly.open_tasks(reader)) == sorted((t.id, t.due_at) for t in open_)
            assert readonly.quarantined_items(reader) == items.quarantined_count(s) == 1
            orm_gates = [(g.key, g.failures, g.last_error, g.warning) for g in gates.all_gates(s)]
            assert [(g.key, g.failures, g.last_error, g.warning) for g in readonly.gates(reader)] == orm_gates
            found = compute(readonly.clock_events(reader), ["dora"])
            kept = [d for d in found if d.incident_id not in readonly.dismissed(reader, {d.incident_id for d in found})]
            assert kept == store_clocks.deadlines(s, ["dora"], skip_dismissed=True) != found
    finally:
        reader.close()


@pytest.fixture
def pg_icu_url(pg_admin_url: str) -> Iterator[str]:
    """A PostgreSQL database whose text sorts by a language's rules (ICU en-US), not by code point."""
    name = f"vw_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(
            text(f"CREATE DATABASE \"{name}\" TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C'")
        )
    yield make_url(pg_admin_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_sources_are_listed_in_the_databases_order_of_ids(pg_icu_url: str) -> None:
    ids = ["Zeta-feed", "a_b", "beta"]
    settings = Settings(
        database_url=pg_icu_url,
        channels=["console"],
        sources=[SourceSettings(id=i, url=f"https://feeds.example.test/{i}.xml") for i in ids],
    )
    app = App(settings=settings, clock=lambda: NOW)
    with app.session() as s:
        sync_sources(s, settings.sources[:2])  # "beta" is not stored yet
    quick = status.quick(settings, NOW)
    assert quick is not None
    assert [src.id for src in quick.sources] == ["a_b", "beta", "Zeta-feed"], "en-US order, not code points"
    with app.session() as s:
        sync_sources(s, settings.sources)
    with app.session() as s:
        assert [row.id for row in sources_repo.configured(s, ids)] == [src.id for src in quick.sources]


def test_a_sqlite_file_is_found_as_the_store_finds_it_and_left_as_it_was(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'my%20vendors.db'}"  # SQLAlchemy reads `%20` as a space
    settings = Settings(database_url=url, channels=["console"])
    app = App(settings=settings, clock=lambda: NOW)
    status.collect(app)  # creates the file
    app.engine.dispose()
    database = tmp_path / "my vendors.db"
    assert database.is_file()
    # A writer that died with its last commit still in the WAL (no checkpoint): the quick read must not fold it in.
    writer = (
        "import os, sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1])\n"
        "c.execute('PRAGMA wal_autocheckpoint=0')\n"
        'c.execute("INSERT INTO item (source_id, guid, url, title, summary, first_seen, content_hash, also_in,'
        " confidence, evidence, subjects, triage_failures, quarantined_at) VALUES ('s', 'g', 'u', 't', '',"
        " '2026-12-01 11:00:00.000000', '', '[]', 0, '[]', '[]', 3, '2026-12-01 11:00:00.000000')\")\n"
        "c.commit()\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", writer, str(database)], check=True)
    before = database.read_bytes()
    quick = status.quick(settings, NOW)
    assert quick is not None and quick.quarantined_items == 1, "the committed row is read from the WAL"
    assert database.read_bytes() == before, "the database file itself is not rewritten by a health check"
