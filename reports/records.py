"""Per-incident and per-vendor records the reports show: timelines, latest assessments, reviews."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from registry.models import Review
from registry.repo import assessments, incidents, reviews
from registry.vocab import Criticality
from reports.facts import VendorFacts

CRITICALITY_ORDER: tuple[str, ...] = tuple(Criticality)  # most critical first


@dataclass(frozen=True)
class TimelineEntry:
    """One report in an incident's timeline."""

    when: datetime | None
    source: str
    title: str
    url: str
    role: str


@dataclass(frozen=True)
class AssessmentSummary:
    """The latest assessment of an incident, as the board reads it."""

    seq: int
    created_at: datetime
    confidence: int
    impact: int
    likelihood: int
    horizon_days: int
    judgments: tuple[str, ...]
    fired: tuple[str, ...]


@dataclass(frozen=True)
class ReviewStatus:
    """A vendor's review standing: last review (if any) and when the next one was due."""

    vendor: str
    criticality: str
    last_reviewed: datetime | None
    rating: str
    next_due: datetime | None
    days_overdue: int | None  # None: never reviewed (due from the start)


def _text(value: Any) -> str:
    if isinstance(value, dict):
        for key in ("text", "judgment", "trigger", "name"):
            if key in value:
                return str(value[key])
    return str(value)


def timelines(session: Session, incident_ids: Sequence[int], limit: int) -> dict[int, tuple[list[TimelineEntry], int]]:
    """Per incident: its first `limit` reports by time and how many more there are."""
    if not incident_ids:
        return {}
    grouped: dict[int, list[TimelineEntry]] = {}
    for ref, item in incidents.references(session, incident_ids):
        when = item.published or item.first_seen
        grouped.setdefault(ref.incident_id, []).append(
            TimelineEntry(when, item.source_id, item.title, item.url, ref.role)
        )
    return {
        iid: (sorted(entries, key=lambda e: (e.when is None, e.when))[:limit], max(0, len(entries) - limit))
        for iid, entries in grouped.items()
    }


def latest_assessments(session: Session, incident_ids: Sequence[int]) -> dict[int, AssessmentSummary]:
    """Per incident: its highest-seq assessment, if it has any."""
    if not incident_ids:
        return {}
    return {
        iid: AssessmentSummary(
            a.seq,
            a.created_at,
            a.confidence,
            a.impact,
            a.likelihood,
            a.horizon_days,
            tuple(_text(j) for j in a.key_judgments),
            tuple(_text(f) for f in a.fired),
        )
        for iid, a in assessments.latest_of(session, incident_ids).items()
    }


def review_history(session: Session, vendor_id: int) -> list[Review]:
    """A vendor's reviews, oldest first."""
    return reviews.reviews_of(session, vendor_id, by_id=False)


def review_statuses(session: Session, vendors: Iterable[VendorFacts], now: datetime) -> list[ReviewStatus]:
    """Vendors whose review is overdue (latest review's next_due passed, or never reviewed), most overdue first."""
    latest = reviews.latest_by_vendor(session)
    result = []
    for v in vendors:
        r = latest.get(v.id)
        if r is None:
            result.append(ReviewStatus(v.name, v.criticality, None, "", None, None))
        elif r.next_due < now:
            result.append(
                ReviewStatus(v.name, v.criticality, r.reviewed_at, r.rating, r.next_due, (now - r.next_due).days)
            )
    order = {c: i for i, c in enumerate(CRITICALITY_ORDER)}
    return sorted(
        result,
        key=lambda s: (s.days_overdue is not None, -(s.days_overdue or 0), order.get(s.criticality, 9), s.vendor),
    )
