"""Items in bulk: one source's batch stored in a few statements, untriaged items listed, claimed and loaded by the
hundred, and triage failures recorded (with quarantine) on the item itself."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import ColumnElement, and_, func, or_, select, text, update
from sqlmodel import Session, col

from registry.models import Item, Source
from registry.queries import insert_ignoring_conflicts

TRIAGE_LOCK = 0x7677_0001  # pg_advisory_xact_lock key: one triage decision at a time across workers
IN_CHUNK = 500
T = TypeVar("T")


@dataclass(frozen=True)
class NewItem:
    """An advisory to store: its identity within the source and the text triage reads."""

    source_id: str
    guid: str
    url: str
    title: str
    summary: str
    published: datetime | None
    content_hash: str
    # Set when the pipeline settles the item without triage: stored as triaged, with this kind and evidence.
    kind: str | None = None
    evidence: tuple[str, ...] = ()


def chunks(values: Sequence[T], size: int = IN_CHUNK) -> Iterable[Sequence[T]]:
    """`values` in slices of `size`: one IN list each, within every database's limit on bound parameters."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def by_guid(session: Session, source_id: str, guids: Sequence[str]) -> dict[str, Item]:
    """The stored items of one source with these guids, by guid."""
    found: dict[str, Item] = {}
    for part in chunks(guids, IN_CHUNK):
        query = select(Item).where(col(Item.source_id) == source_id, col(Item.guid).in_(part))
        found.update((i.guid, i) for i in session.execute(query).scalars())
    return found


def first_by_url(session: Session, urls: Sequence[str], *, other_than: str) -> dict[str, Item]:
    """Per URL, the oldest item of another source that links to it."""
    found: dict[str, Item] = {}
    for part in chunks(urls, IN_CHUNK):
        query = select(Item).where(col(Item.url).in_(part), col(Item.source_id) != other_than).order_by(col(Item.id))
        for item in session.execute(query).scalars():
            found.setdefault(item.url, item)
    return found


def known_and_copies(
    session: Session, source_id: str, guids: Sequence[str], urls: Sequence[str]
) -> tuple[dict[str, Item], dict[str, Item]]:
    """by_guid and first_by_url (for every URL, with `other_than=source_id`) in one round trip."""
    if len(guids) > IN_CHUNK or len(urls) > IN_CHUNK:
        return by_guid(session, source_id, guids), first_by_url(session, urls, other_than=source_id)
    mine = and_(col(Item.source_id) == source_id, col(Item.guid).in_(guids))
    copies = and_(col(Item.url).in_(urls), col(Item.source_id) != source_id)
    known: dict[str, Item] = {}
    others: dict[str, Item] = {}
    for item in session.execute(select(Item).where(or_(mine, copies)).order_by(col(Item.id))).scalars():
        if item.source_id == source_id:
            known[item.guid] = item
        else:
            others.setdefault(item.url, item)
    return known, others


def insert_new(session: Session, rows: Sequence[NewItem], now: datetime) -> int:
    """Insert items in bulk, skipping any (source, guid) another worker stored first; how many were inserted."""
    if not rows:
        return 0
    values: list[dict[str, object]] = [
        {
            "source_id": r.source_id,
            "guid": r.guid,
            "url": r.url,
            "title": r.title,
            "summary": r.summary,
            "published": r.published,
            "first_seen": now,
            "content_hash": r.content_hash,
            "also_in": [],
            "evidence": list(r.evidence),
            "subjects": [],
            "confidence": 0.0,
            "kind": r.kind,
            "triaged_at": now if r.kind else None,
        }
        for r in rows
    ]
    # One cached statement, sent as multi-row INSERTs by SQLAlchemy's insertmanyvalues (both dialects).
    stmt = insert_ignoring_conflicts(session, Item).returning(Item.__table__.c.id)  # type: ignore[attr-defined]
    return len(session.execute(stmt, values).all())


def _open(retriage_kind: str | None, now: datetime) -> ColumnElement[bool]:
    untriaged = and_(
        col(Item.triaged_at).is_(None),
        col(Item.quarantined_at).is_(None),
        or_(col(Item.triage_retry_at).is_(None), col(Item.triage_retry_at) <= now),
    )
    return or_(untriaged, col(Item.kind) == retriage_kind) if retriage_kind else untriaged


def pending_ids(
    session: Session,
    now: datetime,
    *,
    source_ids: Collection[str] | None = None,
    since: datetime | None = None,
    retriage_kind: str | None = None,
) -> list[int]:
    """Items to triage, oldest report first: untriaged (not quarantined, not waiting out a retry), and with
    `since` also items of `retriage_kind` published since then."""
    query = select(col(Item.id), col(Item.published), col(Item.first_seen), col(Item.triaged_at)).where(
        _open(retriage_kind if since else None, now)
    )
    if source_ids is not None:
        query = query.where(col(Item.source_id).in_(list(source_ids)))
    rows: list[tuple[datetime, int]] = []
    for item_id, published, first_seen, triaged_at in session.execute(query):
        when = published or first_seen
        if triaged_at is None or since is None or when >= since:
            rows.append((when, item_id))
    return [item_id for _, item_id in sorted(rows)]


def lock_triage(session: Session) -> None:
    """Serialise triage decisions across workers until the transaction ends (SQLite's BEGIN IMMEDIATE already does)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": TRIAGE_LOCK})


def claim(session: Session, ids: Sequence[int], now: datetime, *, retriage_kind: str | None = None) -> list[Item]:
    """Of these items, the ones still open for triage (another worker may have taken some), loaded, in order."""
    found: dict[int, Item] = {}
    for part in chunks(ids, IN_CHUNK):
        query = select(Item).where(col(Item.id).in_(part), _open(retriage_kind, now))
        found.update((i.id or 0, i) for i in session.execute(query).scalars())
    return [found[i] for i in ids if i in found]


def mark_triaged(session: Session, ids: Sequence[int], now: datetime, *, kind: str, evidence: list[str]) -> None:
    """Record one verdict for many items in one statement (items the pipeline settles without classifying)."""
    for part in chunks(ids, IN_CHUNK):
        stmt = (
            update(Item)
            .where(col(Item.id).in_(part))
            .values(triaged_at=now, kind=kind, confidence=0.0, evidence=evidence, subjects=[])
            .execution_options(synchronize_session=False)
        )
        session.execute(stmt)


def record_failure(session: Session, item_id: int, error: str, now: datetime, *, tries: int) -> int:
    """Count a failed triage of the item: retry later, or quarantine it at `tries` failures. Failures so far."""
    item = session.get_one(Item, item_id)
    item.triage_failures += 1
    item.triage_error = error[:500]
    quarantined = item.triage_failures >= tries
    item.quarantined_at = now if quarantined else None
    item.triage_retry_at = None if quarantined else now + timedelta(minutes=2 ** (item.triage_failures - 1))
    session.add(item)
    return item.triage_failures


def clear_failure(session: Session, item: Item) -> None:
    """A retried item triaged fine: forget the earlier error (the count stays, as history)."""
    if item.triage_error is not None or item.triage_retry_at is not None:
        item.triage_error, item.triage_retry_at = None, None


def quarantined(session: Session, ids: Sequence[int] | None = None) -> list[Item]:
    """Quarantined items (all, or those of `ids`), oldest first."""
    query = select(Item).where(col(Item.quarantined_at).is_not(None)).order_by(col(Item.id))
    if ids is not None:
        query = query.where(col(Item.id).in_(list(ids)))
    return list(session.execute(query).scalars())


def release(session: Session, item: Item) -> None:
    """Give a quarantined item a fresh start: the next triage pass takes it again (its last error stays)."""
    item.quarantined_at, item.triage_retry_at, item.triage_failures = None, None, 0
    session.add(item)


def quarantined_count(session: Session) -> int:
    """Items whose triage failed too often to retry."""
    query = select(func.count()).select_from(Item).where(col(Item.quarantined_at).is_not(None))
    return int(session.execute(query).scalar() or 0)


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
