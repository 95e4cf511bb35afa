"""Vendor reviews: a cadence per vendor, an append-only history, what changed since, and reminders."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from notify.base import Alert, AlertField
from registry.durations import MAX_SLA_S
from registry.errors import NotFoundError
from registry.models import AuditEvent, Delivery, Dependency, Incident, Review, Source, Task, Vendor
from vendorwatch import alerts
from vendorwatch.app import App
from vendorwatch.channels import active_channel_names

logger = logging.getLogger(__name__)

RATINGS = ("low", "medium", "high", "critical")
CADENCE_DAYS = {"critical": 91, "high": 182, "medium": 365, "low": 365}
REMIND_WITHIN = timedelta(days=14)


class ReviewError(ValueError):
    """A review cannot be recorded as asked (bad rating or next date); the message says why."""


@dataclass(frozen=True)
class ChangedIncident:
    """An incident of the vendor opened since its last review."""

    id: int
    title: str
    severity: str
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
    criticality: str
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
    return CADENCE_DAYS.get(vendor.criticality, CADENCE_DAYS["medium"])


def find_vendor(session: Session, name: str) -> Vendor:
    """A vendor by registry name (case-insensitive), or NotFoundError."""
    query = select(Vendor).where(func.lower(col(Vendor.name)) == name.lower())
    vendor: Vendor | None = session.execute(query).scalars().first()
    if vendor is None:
        raise NotFoundError(f"no vendor named {name!r} in the registry")
    return vendor


def last_review(session: Session, vendor_id: int) -> Review | None:
    """The most recent review of a vendor, if any."""
    query = select(Review).where(col(Review.vendor_id) == vendor_id).order_by(col(Review.reviewed_at).desc())
    return session.execute(query.order_by(col(Review.id).desc()).limit(1)).scalars().first()


def history(session: Session, vendor_name: str) -> list[Review]:
    """Every review of a vendor, oldest first."""
    vendor = find_vendor(session, vendor_name)
    query = select(Review).where(col(Review.vendor_id) == vendor.id)
    return list(session.execute(query.order_by(col(Review.reviewed_at), col(Review.id))).scalars())


def record_review(session: Session, vendor_name: str, *, by: str, rating: str, notes: str = "",
                  evidence: str | None = None, next_due: datetime | None = None, now: datetime) -> Review:  # fmt: skip
    """Append a review (never updated or deleted) and its audit event; next due defaults to now + cadence."""
    if rating not in RATINGS:
        raise ReviewError(f"rating {rating!r} is not one of {', '.join(RATINGS)}")
    if not by.strip():
        raise ReviewError("a review needs a reviewer (--by)")
    vendor = find_vendor(session, vendor_name)
    due = next_due or now + timedelta(days=cadence_days(vendor))
    if due <= now:
        raise ReviewError(f"next review date {due:%Y-%m-%d} is not in the future")
    review = Review(vendor_id=vendor.id or 0, reviewed_at=now, by=by, rating=rating, notes=notes,
                    evidence=evidence, next_due=due)  # fmt: skip
    session.add(review)
    session.flush()
    # The dependency count goes in the audit event so the next review can report what is new.
    after = {"vendor": vendor.name, "rating": rating, "next_due": due.isoformat(), "evidence": evidence,
             "dependencies": _dependency_count(session, vendor.id or 0)}  # fmt: skip
    session.add(AuditEvent(at=now, actor=by, action="review.recorded", entity="review",
                           entity_id=str(review.id), after=after))  # fmt: skip
    logger.info("review %s recorded for vendor %s, next due %s", review.id, vendor.id, due.date())
    return review


def due_reviews(session: Session, now: datetime, *, within: timedelta = timedelta(0)) -> list[DueReview]:
    """Vendors whose review is due by now + within (overdue first); a vendor never reviewed is due now."""
    result = []
    for vendor in session.execute(select(Vendor).order_by(col(Vendor.name))).scalars():
        last = last_review(session, vendor.id or 0)
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
    inc_query = select(Incident).where(col(Incident.vendor_id) == vid)
    if last is not None:
        inc_query = inc_query.where(col(Incident.opened_at) > last.reviewed_at)
    incidents = tuple(
        ChangedIncident(i.id or 0, i.title, i.severity, i.opened_at)
        for i in session.execute(inc_query.order_by(col(Incident.opened_at))).scalars()
    )
    open_due = [t.due_at for t in _open_tasks(session, vid)]
    sources = tuple(
        SourceHealth(s.id, s.last_error, s.consecutive_failures, s.last_success_at)
        for s in session.execute(select(Source).where(col(Source.vendor) == vendor.name).order_by(col(Source.id)))
        .scalars()
    )  # fmt: skip
    return ReviewChanges(
        incidents=incidents,
        open_tasks=len(open_due),
        overdue_tasks=sum(1 for due in open_due if due < now),
        dependencies=_dependency_count(session, vid),
        dependencies_at_last_review=_recorded_dependencies(session, last),
        sources=sources,
    )


def _open_tasks(session: Session, vendor_id: int) -> list[Task]:
    query = select(Task).where(col(Task.vendor_id) == vendor_id, col(Task.status) == "open")
    return list(session.execute(query).scalars())


def _dependency_count(session: Session, vendor_id: int) -> int:
    query = select(func.count(col(Dependency.id))).where(col(Dependency.vendor_id) == vendor_id)
    return int(session.execute(query).scalar_one())


def _recorded_dependencies(session: Session, review: Review | None) -> int | None:
    if review is None:
        return None
    query = select(AuditEvent).where(
        col(AuditEvent.entity) == "review",
        col(AuditEvent.entity_id) == str(review.id),
        col(AuditEvent.action) == "review.recorded",
    )
    event = session.execute(query.limit(1)).scalars().first()
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
            if _already_queued(session, channels, key):
                continue
            alerts.enqueue(session, _reminder(app, vendor, due, state), channels, key)
            queued += 1
    logger.info("review reminders: %d enqueued", queued)
    return queued


def _already_queued(session: Session, channels: list[str], key: str) -> bool:
    keys = [f"{channel}:{key}" for channel in channels]  # the outbox's dedupe key, see alerts.enqueue
    query = select(func.count(col(Delivery.id))).where(col(Delivery.dedupe_key).in_(keys))
    return int(session.execute(query).scalar_one()) >= len(keys)


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
    )  # fmt: skip
    return Alert(
        incident_id=0,
        kind="root",
        title=f"{vendor.name}: vendor {headline}",
        text=f'Record it with `vendorwatch reviews record "{vendor.name}" --by NAME --rating LEVEL`.',
        severity="medium" if state == "overdue" else "info",
        vendor=vendor.name,
        fields=fields,
        mentions=(owner,) if owner else (),
        channel=alerts.route(app.settings, vendor, "info"),
    )
