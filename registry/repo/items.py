"""Reads over polled items that reports need: when each source was first polled, and its poll interval."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session, col

from registry.models import Item, Source


@dataclass(frozen=True)
class SourceWatch:
    """Since when a source has been watched (its earliest first-seen item) and how often it is polled."""

    first_seen: datetime
    interval_s: int


DEFAULT_INTERVAL_S = 300


def source_watch(session: Session) -> dict[str, SourceWatch]:
    """Per source id that produced items: its earliest item's first_seen and its poll interval."""
    intervals = {s: i for s, i in session.execute(select(col(Source.id), col(Source.interval_s))).all()}
    query = select(col(Item.source_id), func.min(col(Item.first_seen))).group_by(col(Item.source_id))
    return {
        source: SourceWatch(first, int(intervals.get(source, DEFAULT_INTERVAL_S)))
        for source, first in session.execute(query).all()
        if first is not None
    }
