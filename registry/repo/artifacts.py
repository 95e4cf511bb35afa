"""The ledger of support artifacts given to vendors (fingerprints only)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session, col

from registry.models import Artifact, Vendor


def of_vendor(session: Session, vendor_id: int, since: datetime | None = None) -> list[Artifact]:
    """Artifacts recorded as given to a vendor (since a time, if given), oldest first."""
    query = select(Artifact).where(col(Artifact.vendor_id) == vendor_id)
    if since is not None:
        query = query.where(col(Artifact.recorded_at) >= since)
    return list(session.execute(query.order_by(col(Artifact.recorded_at), col(Artifact.id))).scalars())


def with_vendor_names(session: Session, vendor_id: int | None = None) -> list[tuple[Artifact, str]]:
    """Artifacts with their vendor's name (of one vendor, if given), oldest first."""
    query = select(Artifact, col(Vendor.name)).join(Vendor, col(Vendor.id) == col(Artifact.vendor_id))
    if vendor_id is not None:
        query = query.where(col(Artifact.vendor_id) == vendor_id)
    rows = session.execute(query.order_by(col(Artifact.recorded_at), col(Artifact.id))).all()
    return [(artifact, name) for artifact, name in rows]
