"""Vendor reviews (append-only) and the audit event each one leaves."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session, col

from registry.models import AuditEvent, Review


def last_review(session: Session, vendor_id: int) -> Review | None:
    """The most recent review of a vendor, if any."""
    query = select(Review).where(col(Review.vendor_id) == vendor_id).order_by(col(Review.reviewed_at).desc())
    return session.execute(query.order_by(col(Review.id).desc()).limit(1)).scalars().first()


def reviews_of(session: Session, vendor_id: int, *, by_id: bool = True) -> list[Review]:
    """Every review of a vendor, oldest first (ties by id when `by_id`)."""
    query = select(Review).where(col(Review.vendor_id) == vendor_id).order_by(col(Review.reviewed_at))
    if by_id:
        query = query.order_by(col(Review.id))
    return list(session.execute(query).scalars())


def latest_by_vendor(session: Session) -> dict[int, Review]:
    """Per vendor id: its most recent review."""
    latest: dict[int, Review] = {}
    for r in session.execute(select(Review).order_by(col(Review.reviewed_at), col(Review.id))).scalars():
        latest[r.vendor_id] = r
    return latest


def recorded_event(session: Session, review_id: int) -> AuditEvent | None:
    """The `review.recorded` audit event of a review."""
    query = select(AuditEvent).where(
        col(AuditEvent.entity) == "review",
        col(AuditEvent.entity_id) == str(review_id),
        col(AuditEvent.action) == "review.recorded",
    )
    return session.execute(query.limit(1)).scalars().first()
