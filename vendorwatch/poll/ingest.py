"""Storing fetched advisories: one item per (source, guid); another source's copy of a link folds into it.

A source's batch is stored in a few statements (known guids, other sources' links, one bulk insert), in the
caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from connectors.base import Advisory
from registry.models import Item
from registry.repo import items
from vendorwatch.poll.prescreen import UNRELATED, UNRELATED_EVIDENCE


@dataclass
class StoreResult:
    """How many advisories were new items and how many edited an item already stored."""

    new: int = 0
    updated: int = 0


# Decides, before storing, that a new item needs no triage (see Prescreen.unrelated).
Screen = Callable[[items.NewItem], bool]


def store_items(
    session: Session, advisories: list[Advisory], now: datetime, *, screen: Screen | None = None
) -> StoreResult:
    """Insert new items, apply edits to known ones (they are triaged again), fold other sources' copies.

    New items `screen` settles are stored already triaged (the unrelated kind), saving an update per item.
    """
    result = StoreResult()
    by_source: dict[str, dict[str, Advisory]] = {}
    for adv in advisories:  # a feed listing one guid twice: its last entry is what it says now
        by_source.setdefault(adv.source_id, {})[adv.guid] = adv
    for source_id, batch in by_source.items():
        _store_source(session, source_id, batch, now, result, screen)
    return result


def _store_source(
    session: Session,
    source_id: str,
    batch: dict[str, Advisory],
    now: datetime,
    result: StoreResult,
    screen: Screen | None,
) -> None:
    # An item without an http(s) link must not merge with other link-less items across sources.
    urls = {adv.guid: adv.url or f"urn:vendorwatch:{adv.source_id}:{adv.guid}" for adv in batch.values()}
    known, others = items.known_and_copies(session, source_id, list(batch), list(dict.fromkeys(urls.values())))
    fresh = []
    for guid, adv in batch.items():
        if guid in known:
            result.updated += _apply_edit(session, known[guid], adv)
        else:
            fresh.append(adv)
    rows = []
    for adv in fresh:
        other = others.get(urls[adv.guid])
        if other is not None:  # an aggregator republishing another source's link: recorded there, not stored twice
            if source_id not in other.also_in:
                other.also_in = [*other.also_in, source_id]
                session.add(other)
            continue
        fields = (source_id, adv.guid, urls[adv.guid], adv.title, adv.summary, adv.published, adv.content_hash)
        row = items.NewItem(*fields)
        if screen is not None and screen(row):
            row = items.NewItem(*fields, kind=UNRELATED, evidence=(UNRELATED_EVIDENCE,))
        rows.append(row)
    # A conflict means another worker stored this (source, guid) first: not new for us.
    result.new += items.insert_new(session, rows, now)


def _apply_edit(session: Session, item: Item, adv: Advisory) -> int:
    """Status pages edit entries in place: a changed story replaces the text and goes back to triage."""
    if item.content_hash == adv.content_hash:
        return 0
    item.title, item.summary, item.content_hash = adv.title, adv.summary, adv.content_hash
    item.published = adv.published or item.published
    item.triaged_at = None
    session.add(item)
    return 1
