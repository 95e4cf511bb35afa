"""Storing fetched advisories: one item per (source, guid); another source's copy of a link folds into it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session, col

from connectors.base import Advisory
from registry.models import Item
from registry.queries import insert_ignoring_conflicts


@dataclass
class StoreResult:
    """How many advisories were new items and how many edited an item already stored."""

    new: int = 0
    updated: int = 0


def store_items(session: Session, advisories: list[Advisory], now: datetime) -> StoreResult:
    """Insert new items, apply edits to known ones (they are triaged again), fold other sources' copies."""
    result = StoreResult()
    for adv in advisories:
        # An item without an http(s) link must not merge with other link-less items across sources.
        url = adv.url or f"urn:vendorwatch:{adv.source_id}:{adv.guid}"
        known = session.execute(
            select(Item).where(col(Item.source_id) == adv.source_id, col(Item.guid) == adv.guid)
        ).scalar_one_or_none()
        if known is not None:
            result.updated += _apply_edit(session, known, adv)
            continue
        if _fold_into_other_source(session, adv.source_id, url):
            continue
        result.new += _insert(session, adv, url, now)
    return result


def _apply_edit(session: Session, item: Item, adv: Advisory) -> int:
    """Status pages edit entries in place: a changed story replaces the text and goes back to triage."""
    if item.content_hash == adv.content_hash:
        return 0
    item.title, item.summary, item.content_hash = adv.title, adv.summary, adv.content_hash
    item.published = adv.published or item.published
    item.triaged_at = None
    session.add(item)
    return 1


def _fold_into_other_source(session: Session, source_id: str, url: str) -> bool:
    """An aggregator republishing another source's link is recorded on that item, not stored twice."""
    other = session.execute(
        select(Item).where(col(Item.url) == url, col(Item.source_id) != source_id).order_by(col(Item.id)).limit(1)
    ).scalar_one_or_none()
    if other is None:
        return False
    if source_id not in other.also_in:
        other.also_in = [*other.also_in, source_id]
        session.add(other)
    return True


def _insert(session: Session, adv: Advisory, url: str, now: datetime) -> int:
    stmt = insert_ignoring_conflicts(session, Item).values(
        source_id=adv.source_id,
        guid=adv.guid,
        url=url,
        title=adv.title,
        summary=adv.summary,
        published=adv.published,
        first_seen=now,
        content_hash=adv.content_hash,
        also_in=[],
        evidence=[],
        subjects=[],
        confidence=0.0,
    )
    # A conflict means another worker stored this (source, guid) first: not new for us.
    return 1 if session.execute(stmt.returning(Item.__table__.c.id)).first() is not None else 0  # type: ignore[attr-defined]
