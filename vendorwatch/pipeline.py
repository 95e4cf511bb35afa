"""One poll cycle end to end: fetch due sources, store items, triage, decide alerts, dispatch."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, or_, select, text
from sqlmodel import Session, col

from connectors.base import SourceError
from connectors.http import HttpSettings
from connectors.poll import poll_sources
from registry.models import Item, Source
from vendorwatch import incidents, sources
from vendorwatch.app import App
from vendorwatch.channels import active_channel_names
from vendorwatch.ingest import store_items

logger = logging.getLogger(__name__)
TRIAGE_LOCK = 0x7677_0001  # pg_advisory_xact_lock key: one triage decision at a time across workers


@dataclass
class PollReport:
    """What a poll cycle did, per source and in total."""

    polled: int = 0
    not_modified: int = 0
    new_items: int = 0
    updated_items: int = 0
    errors: dict[str, str] = field(default_factory=dict)
    backing_off: dict[str, datetime] = field(default_factory=dict)
    incidents_opened: int = 0
    references_added: int = 0
    alerts: list[int] = field(default_factory=list)


def http_settings(app: App) -> HttpSettings:
    """Fetch limits from settings."""
    mb = app.settings.max_body_mb * 1024 * 1024
    return HttpSettings(
        read_timeout=app.settings.fetch_timeout_s,
        deadline=app.settings.fetch_timeout_s * 1.5,
        max_body_bytes=mb,
        max_decoded_bytes=mb,
    )


def poll_lease(app: App) -> timedelta:
    """How long a claimed source stays ours: a few fetch deadlines, so a killed worker's sources come back soon."""
    return timedelta(seconds=4 * http_settings(app).deadline + 5)


def fetch_due(
    app: App, *, force: bool = False, ids: set[str] | None = None, ignore_backoff: bool = False
) -> PollReport:
    """Fetch the configured sources that are due (all with force) and store their new and edited items.

    A source removed from the settings keeps its row and items but is never polled again.
    """
    report = PollReport()
    with app.session() as s:
        sources.sync_sources(s, app.settings.sources)
    configured = {conf.id for conf in app.settings.sources}
    wanted = configured if ids is None else configured & ids
    with app.session() as s:
        claimed = sources.claim_due(
            s, app.now(), ids=wanted, force=force, ignore_backoff=ignore_backoff, lease=poll_lease(app)
        )
        if force and not ignore_backoff:
            report.backing_off = {
                r.id: r.next_poll_at for r in sources.backing_off(s, wanted, app.now()) if r.next_poll_at
            }
        configs = {row.id: (sources.to_config(row), sources.state_of(row)) for row in claimed}
    if not configs:
        return report
    outcomes = poll_sources(
        [c for c, _ in configs.values()], {k: st for k, (_, st) in configs.items()}, http_settings(app)
    )
    for source_id, outcome in outcomes.items():
        with app.session() as s:
            row = s.get_one(Source, source_id)
            sources.record_outcome(row, outcome, app.now())
            report.polled += 1
            if isinstance(outcome, SourceError):
                report.errors[source_id] = outcome.message
                continue
            report.not_modified += outcome.not_modified
            stored = store_items(s, outcome.items, app.now())
            row.items_total += stored.new
            report.new_items += stored.new
            report.updated_items += stored.updated
    return report


def triage_pending(app: App, report: PollReport, *, since: datetime | None = None) -> None:
    """Triage every untriaged item, each in its own transaction, oldest report first.

    With `since`, items an earlier poll skipped as older than the look-back are triaged too if they are recent
    enough for the wider window.
    """
    now = app.now()
    default = now - timedelta(days=app.settings.lookback_days)
    cutoff = min(since, default) if since else default  # --since widens the look-back, never narrows it
    with app.session() as s:
        pending = incidents.pending_items(s, since=since)
        if not pending:
            return
        ctx = incidents.load_context(s, app.settings, active_channel_names(app.settings), cutoff)
    for item_id in pending:
        with app.session() as s:
            if not _claim_item(s, item_id, retriage=since is not None):
                continue  # another worker triaged it since we listed it
            ctx.sources = {src.id: src for src in s.execute(select(Source)).scalars()}
            stats = incidents.triage_item(s, ctx, item_id, now)
        report.incidents_opened += stats.incidents_opened
        report.references_added += stats.references_added
        report.alerts += stats.alerts


def _claim_item(session: Session, item_id: int, *, retriage: bool = False) -> bool:
    """Take an untriaged (or, with retriage, look-back-skipped) item; on PostgreSQL serialise triage across workers.

    One transaction-scoped advisory lock for all triage keeps two workers from opening two incidents for one
    vendor at once (decisions read other items' incidents); SQLite's BEGIN IMMEDIATE already serialises.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": TRIAGE_LOCK})
    open_: ColumnElement[bool] = col(Item.triaged_at).is_(None)
    if retriage:
        open_ = or_(open_, col(Item.kind) == incidents.SKIPPED_LOOKBACK)
    query = select(col(Item.id)).where(col(Item.id) == item_id, open_)
    return session.execute(query).first() is not None


def poll_once(
    app: App, *, since: datetime | None = None, force: bool = True, ignore_backoff: bool = False
) -> PollReport:
    """One cycle: fetch, store, triage. Alerts are left in the outbox for the dispatcher."""
    report = fetch_due(app, force=force, ignore_backoff=ignore_backoff)
    triage_pending(app, report, since=since)
    logger.info(
        "poll: %d sources, %d new items, %d edited, %d incidents opened, %d alerts",
        report.polled,
        report.new_items,
        report.updated_items,
        report.incidents_opened,
        len(report.alerts),
    )
    return report
