"""Vendor reviews: a cadence per vendor, an append-only history, what changed since, and reminders."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from notify.base import Alert, AlertField
from registry.durations import MAX_SLA_S
from registry.models import AuditEvent, Review, Vendor
from registry.repo import incidents, reviews, tasks, vendors
from registry.repo.vendors import find_vendor
from registry.vocab import Criticality, SeverityLevel
from vendorwatch.app import App
from vendorwatch.delivery.channels import active_channel_names
from vendorwatch.incidents import alerts

logger = logging.getLogger(__name__)

RATINGS = ("low", "medium", "high", "critical")
CADENCE_DAYS: dict[Criticality, int] = {
    Criticality.critical: 91,
    Criticality.high: 182,
    Criticality.medium: 365,
    Criticality.low: 365,
}
REMIND_WITHIN = timedelta(days=14)


class ReviewError(ValueError):
    """A review cannot be recorded as asked (bad rating or next date); the message says why."""


@dataclass(frozen=True)
class ChangedIncident:
    """An incident of the vendor opened since its last review."""

    id: int
    title: str
    severity: SeverityLevel
    opened_at: datetime


@dataclass(frozen=True)
class SourceHealth:
    """A source published by the vendor, and how its polling fares."""

    id: str
    last_error: str | None
    consecutive_failures: int
    last_success_at: datetime | None


@dataclass(frozen=True)
class ReviewChanges:
    """What changed since the last review (since ever, for a vendor never reviewed)."""

    incidents: tuple[ChangedIncident, ...]
    open_tasks: int
    overdue_tasks: int
    dependencies: int
    dependencies_at_last_review: int | None
    sources: tuple[SourceHealth, ...]

    @property
    def new_dependencies(self) -> int | None:
        """Dependencies added since the last review (net), None when never reviewed."""
        if self.dependencies_at_last_review is None:
            return None
        return self.dependencies - self.dependencies_at_last_review


@dataclass(frozen=True)
class DueReview:
    """A vendor whose review is due: `days` until the due date, negative when overdue."""

    vendor: str
    vendor_id: int
    owner: str
    criticality: Criticality
    cadence_days: int
    due: datetime
    overdue: bool
    days: int
    last_reviewed_at: datetime | None
    last_rating: str | None
    changes: ReviewChanges

    def as_json(self) -> dict[str, Any]:
        """The shape of `reviews due --json`."""
        data = asdict(self)
        data["changes"]["new_dependencies"] = self.changes.new_dependencies
        return data


def cadence_days(vendor: Vendor) -> int:
    """Days between reviews: the registry override, else by criticality (critical: quarterly)."""
    if vendor.review_cadence_days:  # capped like SLAs: a value stored before imports bounded it must not overflow
        return min(vendor.review_cadence_days, MAX_SLA_S // 86400)
    return CADENCE_DAYS[vendor.criticality]


def history(session: Session, vendor_name: str) -> list[Review]:
    """Every review of a vendor, oldest first."""
    return reviews.reviews_of(session, find_vendor(session, vendor_name).id or 0)


def record_review(
    session: Session,
    vendor_name: str,
    *,
    by: str,
    rating: str,
    notes: str = "",
    evidence: str | None = None,
    next_due: datetime | None = None,
    now: datetime,
) -> Review:
    """Append a review (never updated or deleted) and its audit event; next due defaults to now + cadence."""
    if rating not in RATINGS:
        raise ReviewError(f"rating {rating!r} is not one of {', '.join(RATINGS)}")
    if not by.strip():
        raise ReviewError("a review needs a reviewer (--by)")
    vendor = find_vendor(session, vendor_name)
    due = next_due or now + timedelta(days=cadence_days(vendor))
    if due <= now:
        raise ReviewError(f"next review date {due:%Y-%m-%d} is not in the future")
    review = Review(
        vendor_id=vendor.id or 0, reviewed_at=now, by=by, rating=rating, notes=notes, evidence=evidence, next_due=due
    )
    session.add(review)
    session.flush()
    # The dependency count goes in the audit event so the next review can report what is new.
    after = {
        "vendor": vendor.name,
        "rating": rating,
        "next_due": due.isoformat(),
        "evidence": evidence,
        "dependencies": vendors.dependency_count(session, vendor.id or 0),
    }
    session.add(
        AuditEvent(at=now, actor=by, action="review.recorded", entity="review", entity_id=str(review.id), after=after)
    )
    logger.info("review %s recorded for vendor %s, next due %s", review.id, vendor.id, due.date())
    return review


def due_reviews(session: Session, now: datetime, *, within: timedelta = timedelta(0)) -> list[DueReview]:
    """Vendors whose review is due by now + within (overdue first); a vendor never reviewed is due now."""
    result = []
    for vendor in vendors.vendors_by_name(session):
        last = reviews.last_review(session, vendor.id or 0)
        due = last.next_due if last else now
        if due > now + within:
            continue
        result.append(
            DueReview(
                vendor=vendor.name,
                vendor_id=vendor.id or 0,
                owner=vendor.owner,
                criticality=vendor.criticality,
                cadence_days=cadence_days(vendor),
                due=due,
                overdue=due < now,
                days=(due.date() - now.date()).days,
                last_reviewed_at=last.reviewed_at if last else None,
                last_rating=last.rating if last else None,
                changes=changes_since(session, vendor, last, now),
            )
        )
    return sorted(result, key=lambda r: (r.due, r.vendor))


def changes_since(session: Session, vendor: Vendor, last: Review | None, now: datetime) -> ReviewChanges:
    """Incidents since the last review, open/overdue tasks, dependency growth and source health."""
    vid = vendor.id or 0
    opened_after = last.reviewed_at if last is not None else None
    changed = tuple(
        ChangedIncident(i.id or 0, i.title, i.severity, i.opened_at)
        for i in incidents.of_vendor(session, vid, opened_after=opened_after, include_dismissed=False)
    )
    open_due = [t.due_at for t in tasks.open_of_vendor(session, vid)]
    sources = tuple(
        SourceHealth(s.id, s.last_error, s.consecutive_failures, s.last_success_at)
        for s in vendors.sources_of(session, vendor.name)
    )
    return ReviewChanges(
        incidents=changed,
        open_tasks=len(open_due),
        overdue_tasks=sum(1 for due in open_due if due < now),
        dependencies=vendors.dependency_count(session, vid),
        dependencies_at_last_review=_recorded_dependencies(session, last),
        sources=sources,
    )


def _recorded_dependencies(session: Session, review: Review | None) -> int | None:
    if review is None:
        return None
    event = reviews.recorded_event(session, review.id or 0)
    value = (event.after or {}).get("dependencies") if event else None
    return int(value) if isinstance(value, int) else None


def send_review_reminders(app: App) -> int:
    """Scheduled job: enqueue one reminder per review coming due (within 14 days) and per overdue one."""
    channels = active_channel_names(app.settings)
    now = app.now()
    queued = 0
    with app.session() as session:
        for due in due_reviews(session, now, within=REMIND_WITHIN):
            vendor = session.get_one(Vendor, due.vendor_id)
            state = "overdue" if due.overdue else "due"
            # A vendor never reviewed has no stable due date: one "initial" reminder per state, not one a day.
            when = f"{due.due:%Y-%m-%d}" if due.last_reviewed_at else "initial"
            key = f"review:{due.vendor_id}:{when}:{state}"
            if alerts.already_queued(session, channels, key):
                continue
            alerts.enqueue(session, _reminder(app, vendor, due, state), channels, key)
            queued += 1
    logger.info("review reminders: %d enqueued", queued)
    return queued


def _reminder(app: App, vendor: Vendor, due: DueReview, state: str) -> Alert:
    owner = app.settings.owners.get(vendor.owner)
    if due.last_reviewed_at is None:
        headline = "has never been reviewed"
    elif due.overdue:
        headline = f"review overdue since {due.due:%Y-%m-%d}"
    else:
        headline = f"review due on {due.due:%Y-%m-%d}"
    ch = due.changes
    last = f"{due.last_reviewed_at:%Y-%m-%d} ({due.last_rating})" if due.last_reviewed_at else "never"
    fields = (
        AlertField("Vendor", f"{vendor.name} ({vendor.criticality})"),
        AlertField("Cadence", f"every {due.cadence_days} days"),
        AlertField("Last review", last),
        AlertField("Incidents since", str(len(ch.incidents))),
        AlertField("Open tasks", f"{ch.open_tasks} ({ch.overdue_tasks} overdue)"),
    )
    return Alert(
        incident_id=0,
        kind="root",
        title=f"{vendor.name}: vendor {headline}",
        text=f'Record it with `vendorwatch reviews record "{vendor.name}" --by NAME --rating LEVEL`.',
        severity=SeverityLevel.medium if state == "overdue" else SeverityLevel.info,
        vendor=vendor.name,
        fields=fields,
        mentions=(owner,) if owner else (),
        channel=alerts.route(app.settings, vendor, SeverityLevel.info),
    )
