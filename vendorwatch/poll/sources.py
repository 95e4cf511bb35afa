"""Source rows: configured sources synced to the store, claimed when due, health recorded."""

from __future__ import annotations

import logging
import os
import random
from datetime import datetime, timedelta

from sqlmodel import Session

from connectors.backoff import next_poll_delay
from connectors.base import FetchState, PollResult, SourceConfig, SourceError
from registry.models import Source
from registry.repo import sources as repo
from vendorwatch import feedurls
from vendorwatch.settings import SourceSettings

logger = logging.getLogger(__name__)
LEASE = timedelta(minutes=5)
# Spread sources that share an interval so several workers (and the feeds) see an even load.
JITTER = 0.05
WORKER_ID = f"{os.uname().nodename}:{os.getpid()}"


def sync_sources(session: Session, configured: list[SourceSettings]) -> None:
    """Make the Source table follow the settings, keeping each source's fetch state and health."""
    existing = repo.all_by_id(session)
    for conf in configured:
        # A URL with credentials is stored as `env:VAR`, never in clear (see feedurls).
        row = existing.get(conf.id) or Source(id=conf.id, url=conf.stored_url)
        if row.url != conf.stored_url:  # a moved feed starts afresh: its old validators mean nothing
            row.etag = row.last_modified = None
        row.url, row.kind, row.vendor, row.trust, row.interval_s = (
            conf.stored_url,
            conf.kind,
            conf.vendor,
            conf.trust,
            conf.interval,
        )
        session.add(row)


def claim_due(
    session: Session,
    now: datetime,
    *,
    ids: set[str] | None = None,
    force: bool = False,
    ignore_backoff: bool = False,
    lease: timedelta = LEASE,
) -> list[Source]:
    """Claim sources due for a poll with a lease (row locks on PostgreSQL skip what others hold).

    `force` polls sources before their interval is up, but a failing source keeps its backoff (and a
    server's Retry-After) unless `ignore_backoff`. A worker killed mid-poll leaves its lease behind:
    the source is polled again once it expires.
    """
    rows = repo.lock_due(session, now, ids=ids, force=force, ignore_backoff=ignore_backoff)
    for row in rows:
        row.lease_owner, row.lease_until = WORKER_ID, now + lease
    return rows


def backing_off(session: Session, ids: set[str], now: datetime) -> list[Source]:
    """Configured sources waiting out a failure backoff or a server's Retry-After."""
    return repo.backing_off(session, ids, now)


def to_config(row: Source) -> SourceConfig:
    """The connector's view of a source row."""
    try:
        url = feedurls.fetch_url(row.url)
    except feedurls.UrlSecretError as exc:  # this worker lacks the variable: only this source fails
        logger.warning("source %s: %s", row.id, exc)
        url = row.url  # `env:VAR` is no http(s) URL: the fetch fails and is recorded on the source
    return SourceConfig(row.id, url, row.kind, row.vendor, row.trust, row.interval_s)


def state_of(row: Source) -> FetchState:
    """The validators to send back for conditional GET."""
    return FetchState(etag=row.etag, last_modified=row.last_modified)


def record_outcome(row: Source, outcome: PollResult | SourceError, now: datetime) -> None:
    """Health after a poll: validators, last success or error, failures in a row, next poll time."""
    row.last_polled_at = now
    row.polls_total += 1
    row.lease_owner = row.lease_until = None
    if isinstance(outcome, SourceError):
        row.consecutive_failures += 1
        row.errors_total += 1
        row.last_error = outcome.message
        delay = next_poll_delay(row.consecutive_failures, row.interval_s, outcome.retry_after)
    else:
        row.consecutive_failures = 0
        row.last_error = None
        row.last_success_at = now
        row.etag, row.last_modified = outcome.state.etag, outcome.state.last_modified
        delay = next_poll_delay(0, row.interval_s, None) * (1 + random.uniform(-JITTER, JITTER))
    row.next_poll_at = now + timedelta(seconds=delay)
