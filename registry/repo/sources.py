"""Source rows read in bulk (the poll records many sources' outcomes in one transaction)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlmodel import Session, col

from registry.models import Source


def by_id(session: Session, ids: Sequence[str]) -> dict[str, Source]:
    """The Source rows with these ids, by id (raises KeyError on lookup of one that is missing)."""
    query = select(Source).where(col(Source.id).in_(list(ids)))
    return {row.id: row for row in session.execute(query).scalars()}
