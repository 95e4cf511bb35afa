"""The one-page vendor review: registry facts, exposure, review history, what happened since."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import Session

from registry.errors import NotFoundError
from registry.models import Review
from reports.exposure import VendorExposure, rank_exposure
from reports.facts import IncidentFacts, TaskFacts, VendorFacts
from reports.load import load_incidents, load_tasks, load_vendors
from reports.records import review_history
from reports.render import html_to_pdf, render_html

ONE_PAGE_ROWS = 6


@dataclass(frozen=True)
class VendorReview:
    """What the quarterly vendor review looks at."""

    vendor: VendorFacts
    exposure: VendorExposure
    rank: int
    vendors: int
    reviews: list[Review]
    since: datetime | None
    incidents: list[IncidentFacts]
    tasks: list[TaskFacts]
    generated_at: datetime

    @property
    def last_review(self) -> Review | None:
        """The most recent review, if any."""
        return self.reviews[-1] if self.reviews else None


def vendor_review(session: Session, name: str, *, now: datetime) -> VendorReview:
    """Gather the one-pager's facts; raises NotFoundError for an unknown vendor (name is case-insensitive)."""
    vendors = load_vendors(session)
    match = [v for v in vendors if v.name.casefold() == name.strip().casefold()]
    if not match:
        raise NotFoundError(f"no vendor named {name!r} in the registry (see: vendorwatch vendors list)")
    vendor = match[0]
    tasks = load_tasks(session)
    incidents = load_incidents(session, vendors, tasks)
    ranked = rank_exposure(vendors, incidents)
    rank = next(i for i, e in enumerate(ranked, 1) if e.vendor == vendor.name)
    reviews = review_history(session, vendor.id)
    since = reviews[-1].reviewed_at if reviews else None
    own = [i for i in incidents if i.vendor_id == vendor.id and (since is None or (i.alert_at or i.opened_at) >= since)]
    own_tasks = [t for i in own for t in i.tasks]
    own_tasks.sort(key=lambda t: (t.is_open, t.closed_at or t.due_at), reverse=True)
    return VendorReview(vendor, ranked[rank - 1], rank, len(vendors), reviews, since, own, own_tasks, now)


def render_vendor_report(review: VendorReview, out: Path) -> None:
    """Write the one-page vendor review PDF for a gathered `review` to `out`; needs no database session."""
    html_to_pdf(render_html("vendor.html.j2", r=review, rows=ONE_PAGE_ROWS, now=review.generated_at), out)


def write_vendor_report(session: Session, name: str, out: Path, *, now: datetime) -> VendorReview:
    """Write the one-page vendor review PDF to `out` (renders while `session` is open; see render_vendor_report)."""
    review = vendor_review(session, name, now=now)
    render_vendor_report(review, out)
    return review
