"""Back-filled incidents: disclosed before vendorwatch was watching, found later by a wider look-back.

Their detection latency measures when we started polling, not how fast we detect, so it is left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlmodel import Session

from registry.repo import incidents, items
from registry.repo.items import SourceWatch

# A regular poll triages only items younger than the look-back (settings.lookback_days, 3 by default):
# an older first report can only have been found by `poll --since`.
REGULAR_LOOKBACK = timedelta(days=3)


def is_backfill(published: datetime | None, first_seen: datetime, watch: SourceWatch | None) -> bool:
    """Whether a first report was found by a look-back: too old for a regular poll, or older than our first poll."""
    if published is None:
        return False
    if first_seen - published > REGULAR_LOOKBACK:
        return True
    return watch is not None and published < watch.first_seen - timedelta(seconds=watch.interval_s)


def backfilled_ids(session: Session, incident_ids: Sequence[int]) -> set[int]:
    """The incidents whose earliest-published report was back-filled."""
    watch = items.source_watch(session)
    first: dict[int, tuple[datetime, datetime | None, datetime, str]] = {}
    for ref, item in incidents.references(session, incident_ids):
        when = item.published or item.first_seen
        prior = first.get(ref.incident_id)
        if prior is None or when < prior[0]:
            first[ref.incident_id] = (when, item.published, item.first_seen, item.source_id)
    return {
        iid for iid, (_, published, seen, source) in first.items() if is_backfill(published, seen, watch.get(source))
    }


def watching_since(session: Session) -> datetime | None:
    """When vendorwatch first polled anything (its earliest first-seen item); None before the first poll."""
    return min((w.first_seen for w in items.source_watch(session).values()), default=None)
