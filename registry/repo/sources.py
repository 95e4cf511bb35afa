"""Source rows: read in bulk (the poll records many sources' outcomes in one transaction) and claimed when due."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import or_, select
from sqlmodel import Session, col

from registry.models import Source


def by_id(session: Session, ids: Sequence[str]) -> dict[str, Source]:
    """The Source rows with these ids, by id (raises KeyError on lookup of one that is missing)."""
    query = select(Source).where(col(Source.id).in_(list(ids)))
    return {row.id: row for row in session.execute(query).scalars()}


def all_by_id(session: Session) -> dict[str, Source]:
    """Every Source row, by id."""
    return {s.id: s for s in session.execute(select(Source)).scalars()}


def configured(session: Session, ids: Sequence[str]) -> list[Source]:
    """The Source rows with these ids, ordered by id."""
    query = select(Source).where(col(Source.id).in_(list(ids))).order_by(col(Source.id))
    return list(session.execute(query).scalars())


def lock_due(
    session: Session, now: datetime, *, ids: set[str] | None, force: bool, ignore_backoff: bool
) -> list[Source]:
    """Sources with no live lease that are due (see poll.sources.claim_due), row-locked on PostgreSQL."""
    query = select(Source).where(or_(col(Source.lease_until).is_(None), col(Source.lease_until) < now))
    due = or_(col(Source.next_poll_at).is_(None), col(Source.next_poll_at) <= now)
    if not force:
        query = query.where(due)
    elif not ignore_backoff:
        query = query.where(or_(col(Source.consecutive_failures) == 0, due))
    if ids is not None:
        query = query.where(col(Source.id).in_(ids))
    if session.get_bind().dialect.name == "postgresql":  # other workers' claims are skipped, not waited for
        query = query.with_for_update(skip_locked=True)
    return list(session.execute(query.order_by(col(Source.id))).scalars())


def backing_off(session: Session, ids: set[str], now: datetime) -> list[Source]:
    """Sources among `ids` waiting out a failure backoff or a server's Retry-After."""
    query = select(Source).where(
        col(Source.id).in_(ids), col(Source.consecutive_failures) > 0, col(Source.next_poll_at) > now
    )
    return list(session.execute(query.order_by(col(Source.id))).scalars())
