"""Storing fetched advisories: unique per (source, guid) and per canonical URL."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session, col

from connectors.base import Advisory
from registry.models import Item
from registry.queries import insert_ignoring_conflicts


def store_items(session: Session, advisories: list[Advisory], now: datetime) -> int:
    """Insert new items; a URL already known from another source records that source on it.

    Returns how many items were new.
    """
    new = 0
    for adv in advisories:
        # An item without an http(s) link must not merge with other link-less items across sources.
        url = adv.url or f"urn:vendorwatch:{adv.source_id}:{adv.guid}"
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
        if session.execute(stmt.returning(Item.__table__.c.id)).first() is not None:  # type: ignore[attr-defined]
            new += 1
            continue
        same_url = session.execute(select(Item).where(col(Item.url) == url)).scalar_one_or_none()
        if same_url and same_url.source_id != adv.source_id and adv.source_id not in same_url.also_in:
            same_url.also_in = [*same_url.also_in, adv.source_id]
            session.add(same_url)
    return new
