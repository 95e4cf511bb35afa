"""One poll cycle end to end: fetch due sources, store and triage each as it arrives, decide alerts."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from connectors.base import FetchState, PollResult, SourceConfig, SourceError
from connectors.http import HttpSettings
from connectors.parsing import ParsePool
from connectors.poll import stream_sources
from registry.repo import history
from registry.repo import sources as source_rows
from vendorwatch.app import App
from vendorwatch.poll import sources
from vendorwatch.poll.ingest import Screen, store_items
from vendorwatch.poll.triage_pass import TriagePass

logger = logging.getLogger(__name__)


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
    triage_failures: int = 0  # items whose triage raised this cycle (recorded on the item, retried later)
    context_loads: int = 0  # triage contexts read: at most one per cycle


def http_settings(app: App) -> HttpSettings:
    """Fetch limits from settings."""
    mb = app.settings.max_body_mb * 1024 * 1024
    return HttpSettings(
        read_timeout=app.settings.fetch_timeout_s,
        deadline=app.settings.fetch_timeout_s * 1.5,
        max_body_bytes=mb,
        max_decoded_bytes=mb,
        parse_processes=app.settings.parse_processes,
        parse_timeout=app.settings.parse_timeout_s,
    )


def poll_lease(app: App) -> timedelta:
    """How long a claimed source stays ours: a few fetch deadlines, so a killed worker's sources come back soon."""
    return timedelta(seconds=4 * http_settings(app).deadline + 5)


def fetch_due(
    app: App,
    *,
    force: bool = False,
    ids: set[str] | None = None,
    ignore_backoff: bool = False,
    report: PollReport | None = None,
    triage: TriagePass | None = None,
    stream: bool = True,
    parser: ParsePool | None = None,
) -> PollReport:
    """Fetch the configured sources that are due (all with force) and store their new and edited items.

    Sources are stored as soon as their fetch completes (those done together in one transaction); with a
    `triage` pass, it screens their new items and, when streaming, triages them while the other fetches go
    on. A source removed from the settings is never polled again. `parser` (kept across polls by `run`)
    parses the bodies; without it a pool is started for this poll (`parse_processes` in the settings).
    """
    report = report if report is not None else PollReport()
    configs = _claim(app, report, force=force, ids=ids, ignore_backoff=ignore_backoff)
    if not configs:
        return report
    states = {k: st for k, (_, st) in configs.items()}
    for ready in stream_sources([c for c, _ in configs.values()], states, http_settings(app), parser):
        has_items = any(isinstance(o, PollResult) and o.items for _, o in ready)
        # Read the triage context before the store's transaction opens (SQLite: one writer at a time).
        fresh = _store(app, report, ready, triage.screen() if triage and has_items else None)
        if fresh and triage is not None and stream:
            triage.sources(fresh)
    return report


def _claim(
    app: App, report: PollReport, *, force: bool, ids: set[str] | None, ignore_backoff: bool
) -> dict[str, tuple[SourceConfig, FetchState]]:
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
        return {row.id: (sources.to_config(row), sources.state_of(row)) for row in claimed}


def _store(
    app: App, report: PollReport, ready: list[tuple[str, PollResult | SourceError]], screen: Screen | None
) -> set[str]:
    """Record the outcomes of sources that just answered and store their items, in one transaction.

    Returns the sources that brought new or edited items.
    """
    fresh: set[str] = set()
    new = updated = 0
    with app.session() as s:
        rows = source_rows.by_id(s, [source_id for source_id, _ in ready])
        for source_id, outcome in ready:
            row = rows[source_id]
            if isinstance(outcome, SourceError):
                sources.record_outcome(row, outcome, app.now())
                report.errors[source_id] = outcome.message
                continue
            report.not_modified += outcome.not_modified
            stored = store_items(s, outcome.items, app.now(), screen=screen)
            sources.record_outcome(row, outcome, app.now())  # after the store's queries: one UPDATE per source
            row.items_total += stored.new
            new, updated = new + stored.new, updated + stored.updated
            if stored.new or stored.updated:
                fresh.add(source_id)
    report.polled += len(ready)
    report.new_items += new
    report.updated_items += updated
    return fresh


def poll_cycle(
    app: App,
    *,
    since: datetime | None = None,
    force: bool = False,
    ignore_backoff: bool = False,
    ids: set[str] | None = None,
    stream: bool = True,
    parser: ParsePool | None = None,
) -> PollReport:
    """Fetch what is due, storing and triaging each source as soon as it arrives, then whatever else waits.

    Streaming reads sources in the order they answer (each source's items oldest first). Without `stream`,
    every source is fetched first and all items are triaged oldest report first: slower to alert, but the
    order is reproducible (demo, evaluation, stories told across sources). Alerts are left in the outbox.
    """
    report = PollReport()
    with app.session() as s:  # the registry's history for the board report: one cheap read, a snapshot daily
        history.record(s, app.now(), at_most_every=history.DAILY)
    triage = TriagePass(app, since=since)
    fetch_due(
        app,
        force=force,
        ignore_backoff=ignore_backoff,
        ids=ids,
        report=report,
        triage=triage,
        stream=stream,
        parser=parser,
    )
    triage.rest()
    report.incidents_opened = triage.stats.incidents_opened
    report.references_added = triage.stats.references_added
    report.alerts = triage.stats.alerts
    report.triage_failures = triage.failed
    report.context_loads = triage.context_loads
    return report


def poll_once(
    app: App,
    *,
    since: datetime | None = None,
    force: bool = True,
    ignore_backoff: bool = False,
    ids: set[str] | None = None,
    stream: bool = True,
) -> PollReport:
    """One cycle (`poll --once`): fetch, store, triage. Alerts are left in the outbox for the dispatcher."""
    report = poll_cycle(app, since=since, force=force, ignore_backoff=ignore_backoff, ids=ids, stream=stream)
    logger.info(
        "poll: %d sources, %d new items, %d edited, %d incidents opened, %d alerts, %d items failed triage",
        report.polled,
        report.new_items,
        report.updated_items,
        report.incidents_opened,
        len(report.alerts),
        report.triage_failures,
    )
    return report
