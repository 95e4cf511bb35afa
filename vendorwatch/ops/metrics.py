"""Prometheus metrics by the book: this worker's own counters, and the fleet's state read from the database.

Each worker's endpoint serves its `vendorwatch_worker_*_total` counters (what this process did) and the default
`process_*` and `python_*` collectors. The fleet figures (gauges for state, counters the database keeps) are
exported by one endpoint only, the worker holding the singleton lock, and by `vendorwatch metrics`, so
summing across workers never counts them twice. A database that does not answer turns into
`vendorwatch_database_up 0`; the worker's own series keep answering.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import datetime
from wsgiref.simple_server import WSGIServer

from prometheus_client import (
    GC_COLLECTOR,
    PLATFORM_COLLECTOR,
    PROCESS_COLLECTOR,
    CollectorRegistry,
    Counter,
    generate_latest,
    start_http_server,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlmodel import Session

from registry.dberrors import describe, is_store_error
from registry.models import Source
from registry.repo import fleet, items
from registry.repo.tasks import set_aside_count
from vendorwatch.app import App
from vendorwatch.delivery.outbox import DispatchStats
from vendorwatch.poll.pipeline import PollReport

logger = logging.getLogger(__name__)
LATENCY_BUCKETS = (5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 900.0, 3600.0, 6 * 3600.0, 24 * 3600.0)
FAILING_IN_A_ROW = 3  # as `status`: a source failing this many times in a row counts as failing
PROCESS = CollectorRegistry()  # this process's own counters; worker_registry() adds the rest
POLLS = Counter("vendorwatch_worker_polls", "Source fetches by this worker.", registry=PROCESS)
FETCH_ERRORS = Counter(
    "vendorwatch_worker_fetch_errors", "Failed fetches by this worker.", ["source"], registry=PROCESS
)
NEW_ITEMS = Counter("vendorwatch_worker_new_items", "New items stored by this worker.", registry=PROCESS)
SENT = Counter("vendorwatch_worker_deliveries_sent", "Messages this worker delivered.", registry=PROCESS)
FAILED = Counter("vendorwatch_worker_deliveries_failed", "Deliveries this worker gave up on.", registry=PROCESS)
JOB_FAILURES = Counter(
    "vendorwatch_worker_job_failures", "Job runs of this worker that failed or hung.", ["job"], registry=PROCESS
)
DB_ERRORS = Counter("vendorwatch_worker_database_errors", "Database errors met by this worker.", registry=PROCESS)


def record_poll(report: PollReport) -> None:
    """Count one poll tick of this worker."""
    POLLS.inc(report.polled)
    NEW_ITEMS.inc(report.new_items)
    for source_id in report.errors:
        FETCH_ERRORS.labels(source_id).inc()


def record_dispatch(stats: DispatchStats) -> None:
    """Count one dispatch pass of this worker."""
    SENT.inc(stats.sent + stats.recovered)
    FAILED.inc(stats.failed)


class DatabaseCollector(Collector):
    """Fleet figures computed from the store at scrape time; `vendorwatch_database_up 0` when it fails."""

    def __init__(self, app: App, exporting: Callable[[], bool] = lambda: True) -> None:
        self.app = app
        self.exporting = exporting

    def describe(self) -> list[Metric]:
        """Nothing up front: registering must not query the database (see Collector.describe)."""
        return []

    def collect(self) -> Iterator[Metric]:
        """See prometheus_client Collector.collect."""
        if not self.exporting():
            return
        up = GaugeMetricFamily("vendorwatch_database_up", "1 when the database answered this scrape.")
        try:
            with self.app.session() as s:
                families = _fleet(s)
        except Exception as exc:
            if not is_store_error(exc):
                raise
            logger.warning("metrics: %s", describe(exc, self.app.settings.database_url))
            DB_ERRORS.inc()
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families


def _fleet(s: Session) -> list[Metric]:
    rows = fleet.all_sources(s)
    failing = GaugeMetricFamily("vendorwatch_source_consecutive_failures", "Failures in a row.", labels=["source"])
    polls = CounterMetricFamily("vendorwatch_source_polls", "Polls of each source, all workers.", labels=["source"])
    errors = CounterMetricFamily("vendorwatch_source_fetch_errors", "Failed polls, all workers.", labels=["source"])
    for r in rows:
        failing.add_metric([r.id], r.consecutive_failures)
        polls.add_metric([r.id], r.polls_total)
        errors.add_metric([r.id], r.errors_total)
    by_status = GaugeMetricFamily(
        "vendorwatch_deliveries", "Outbox rows now, by channel and status.", labels=["channel", "status"]
    )
    for channel, status, n in fleet.deliveries_by_channel_status(s):
        by_status.add_metric([channel, status], n)
    stored = fleet.counts(s)
    return [
        _per_source("vendorwatch_source_last_poll_timestamp_seconds", "Last poll.", rows, "last_polled_at"),
        _per_source("vendorwatch_source_last_success_timestamp_seconds", "Last success.", rows, "last_success_at"),
        failing,
        _gauge(
            "vendorwatch_sources_failing",
            "Sources failing 3 times or more in a row.",
            sum(r.consecutive_failures >= FAILING_IN_A_ROW for r in rows),
        ),
        polls,
        errors,
        _gauge("vendorwatch_items", "Items stored.", stored.items),
        _gauge("vendorwatch_items_quarantined", "Items whose triage failed too often.", items.quarantined_count(s)),
        _gauge("vendorwatch_incidents", "Incidents recorded.", stored.incidents),
        _gauge("vendorwatch_incidents_alerted", "Incidents alerted.", stored.incidents_alerted),
        _gauge("vendorwatch_tasks_open", "Rotation tasks open.", stored.tasks_open),
        _gauge(
            "vendorwatch_tasks_reminder_quarantined", "Open tasks no longer reminded after failing.", set_aside_count(s)
        ),
        by_status,
        _latency(_latency_rows(s)),
    ]


def _per_source(name: str, doc: str, rows: list[Source], attr: str) -> GaugeMetricFamily:
    gauge = GaugeMetricFamily(name, doc, labels=["source"])
    for r in rows:
        when: datetime | None = getattr(r, attr)
        if when is not None:
            gauge.add_metric([r.id], when.timestamp())
    return gauge


def _gauge(name: str, doc: str, value: int | None) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, doc, value=value or 0)


def _latency_rows(s: Session) -> list[tuple[float, float]]:
    """(seconds since published-or-first-seen, seconds since first seen) for each sent Slack root."""
    sent_at = fleet.sent_slack_roots(s)
    earliest: dict[int, tuple[datetime, datetime]] = {}
    for iid, item in fleet.items_of_incidents(s, list(sent_at)):
        pub, seen = item.published or item.first_seen, item.first_seen
        old = earliest.get(iid)
        earliest[iid] = (min(pub, old[0]), min(seen, old[1])) if old else (pub, seen)
    return [((sent_at[i] - p).total_seconds(), (sent_at[i] - f).total_seconds()) for i, (p, f) in earliest.items()]


def _latency(rows: list[tuple[float, float]]) -> HistogramMetricFamily:
    family = HistogramMetricFamily(
        "vendorwatch_alert_latency_seconds",
        "Item published (or first seen when undated) to Slack root posted.",
        labels=["since"],
    )
    for label, pick in (("published", 0), ("first_seen", 1)):
        values = [r[pick] for r in rows]
        buckets = [(str(b), float(sum(v <= b for v in values))) for b in LATENCY_BUCKETS]
        buckets.append(("+Inf", float(len(values))))
        family.add_metric([label], buckets, sum_value=sum(values))
    return family


def render(app: App) -> str:
    """The fleet-wide metrics in Prometheus text format (for `vendorwatch metrics`)."""
    registry = CollectorRegistry()
    registry.register(DatabaseCollector(app))
    return generate_latest(registry).decode()


def worker_registry(app: App, exports_fleet: Callable[[], bool] = lambda: True) -> CollectorRegistry:
    """What a worker's /metrics serves: its counters, process_* and python_*, and the fleet's while exporting."""
    registry = CollectorRegistry(auto_describe=False)
    for collector in (
        PROCESS,
        PROCESS_COLLECTOR,
        PLATFORM_COLLECTOR,
        GC_COLLECTOR,
        DatabaseCollector(app, exports_fleet),
    ):
        registry.register(collector)
    return registry


def serve(app: App, port: int, *, exports_fleet: Callable[[], bool] = lambda: True) -> WSGIServer:
    """Serve worker_registry() on `metrics_addr`:`port` from a daemon thread; the server is returned to shut down."""
    registry = worker_registry(app, exports_fleet)
    server, _thread = start_http_server(port, addr=app.settings.metrics_addr, registry=registry)
    return server
