"""Review cadence, due lists and the append-only history, on a controllable clock."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from registry.errors import NotFoundError
from registry.models import AuditEvent, Dependency, Incident, Source, Task, Vendor
from tests.reviews.conftest import START, Clock
from vendorwatch import reviews
from vendorwatch.app import App


def _due(app: App, within: int = 0) -> dict[str, reviews.DueReview]:
    with app.session() as s:
        return {r.vendor: r for r in reviews.due_reviews(s, app.now(), within=timedelta(days=within))}


def _record(app: App, vendor: str, rating: str = "medium", next_due: datetime | None = None) -> datetime:
    with app.session() as s:
        return reviews.record_review(s, vendor, by="alice", rating=rating, next_due=next_due, now=app.now()).next_due


def test_vendors_never_reviewed_are_due_now_with_cadence_by_criticality_or_override(review_app: App) -> None:
    due = _due(review_app)
    assert {name: r.cadence_days for name, r in due.items()} == {"Okta": 91, "GitHub": 182, "Zoom": 365, "Vault": 30}
    assert all(r.due == START and not r.overdue and r.last_reviewed_at is None for r in due.values())


def test_recording_a_review_moves_the_next_due_date_by_cadence(review_app: App, clock: Clock) -> None:
    assert _record(review_app, "okta") == START + timedelta(days=91)
    assert _record(review_app, "Vault") == START + timedelta(days=30)
    assert "Okta" not in _due(review_app) and "GitHub" in _due(review_app)
    clock.now = START + timedelta(days=80)
    coming = _due(review_app, within=14)["Okta"]
    assert (coming.overdue, coming.days, coming.last_rating) == (False, 11, "medium")
    clock.now = START + timedelta(days=93)
    late = _due(review_app)["Okta"]
    assert (late.overdue, late.days) == (True, -2)
    assert _due(review_app)["Vault"].days == -63


def test_an_explicit_next_date_wins_and_must_be_in_the_future(review_app: App) -> None:
    assert _record(review_app, "Zoom", next_due=START + timedelta(days=10)) == START + timedelta(days=10)
    with pytest.raises(reviews.ReviewError, match="not in the future"):
        _record(review_app, "Zoom", next_due=START - timedelta(days=1))


def test_bad_rating_and_unknown_vendor_are_refused(review_app: App) -> None:
    with pytest.raises(reviews.ReviewError, match="rating 'severe'"):
        _record(review_app, "Okta", rating="severe")
    with pytest.raises(NotFoundError, match="Nope"):
        _record(review_app, "Nope")


def test_history_is_append_only_and_audited(review_app: App, clock: Clock) -> None:
    _record(review_app, "Okta", rating="high")
    clock.now = START + timedelta(days=90)
    _record(review_app, "Okta", rating="medium")
    with review_app.session() as s:
        ratings = [r.rating for r in reviews.history(s, "Okta")]
        events = len(s.exec(select(AuditEvent).where(AuditEvent.entity == "review")).all())
    assert ratings == ["high", "medium"]
    assert events == 2
    with pytest.raises(DBAPIError, match="append-only"), review_app.session() as s:
        s.execute(text("UPDATE review SET rating = 'low'"))
    with pytest.raises(DBAPIError, match="append-only"), review_app.session() as s:
        s.execute(text("DELETE FROM review"))


def test_due_review_reports_what_changed_since_the_last_review(review_app: App, clock: Clock) -> None:
    _record(review_app, "Okta")
    clock.now = START + timedelta(days=100)
    with review_app.session() as s:
        okta = s.exec(select(Vendor).where(Vendor.name == "Okta")).one()
        s.add(Dependency(vendor_id=okta.id or 0, name="SCIM", kind="scim"))
        incident = Incident(
            vendor_id=okta.id or 0, kind="breach", title="Support system breach", opened_at=START + timedelta(days=50)
        )
        s.add(incident)
        s.add(
            Incident(
                vendor_id=okta.id or 0,
                kind="breach",
                title="Look-alike story, dismissed",
                status="dismissed",
                opened_at=START + timedelta(days=60),
            )
        )
        s.flush()
        for key, due_days in (("a", 60), ("b", 120)):
            s.add(
                Task(
                    incident_id=incident.id or 0,
                    vendor_id=okta.id or 0,
                    key=key,
                    step="rotate",
                    title=key,
                    due_at=START + timedelta(days=due_days),
                )
            )
        s.add(
            Source(
                id="okta-sec",
                url="https://sec.okta.example/feed",
                vendor="Okta",
                last_error="HTTP 503",
                consecutive_failures=4,
            )
        )
    ch = _due(review_app)["Okta"].changes
    assert [i.title for i in ch.incidents] == ["Support system breach"], "a dismissed incident is not news"
    assert (ch.open_tasks, ch.overdue_tasks) == (2, 1)
    assert (ch.dependencies, ch.new_dependencies) == (2, 1)
    assert [(src.id, src.last_error, src.consecutive_failures) for src in ch.sources] == [("okta-sec", "HTTP 503", 4)]
