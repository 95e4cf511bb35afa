"""Prometheus metrics: per-process counters from the jobs, plus fleet-wide figures read from the database.

The database collector makes `vendorwatch metrics` and every worker's endpoint agree however many workers
run; the `*_total` counters of this process (polls, fetch errors) are per worker, as Prometheus expects.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, generate_latest, start_http_server
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlmodel import Session, col

from registry import items
from registry.models import Delivery, Incident, IncidentReference, Item, Source
from vendorwatch.app import App
from vendorwatch.delivery.outbox import DispatchStats
from vendorwatch.poll.pipeline import PollReport

LATENCY_BUCKETS = (5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 900.0, 3600.0, 6 * 3600.0, 24 * 3600.0)
PROCESS = CollectorRegistry()
POLLS = Counter("vendorwatch_worker_polls", "Source fetches by this worker.", registry=PROCESS)
FETCH_ERRORS = Counter(
    "vendorwatch_worker_fetch_errors", "Failed fetches by this worker.", ["source"], registry=PROCESS
)
NEW_ITEMS = Counter("vendorwatch_worker_new_items", "New items stored by this worker.", registry=PROCESS)
SENT = Counter("vendorwatch_worker_deliveries_sent", "Messages this worker delivered.", registry=PROCESS)
FAILED = Counter("vendorwatch_worker_deliveries_failed", "Deliveries this worker gave up on.", registry=PROCESS)


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
    """Figures computed from the store at scrape time, so they cover every worker."""

    def __init__(self, app: App) -> None:
        self.app = app

    def collect(self) -> Iterator[Metric]:
        """See prometheus_client Collector.collect."""
        with self.app.session() as s:
            rows = list(s.execute(select(Source)).scalars())
            yield _per_source("vendorwatch_source_last_poll_timestamp_seconds", "Last poll.", rows, "last_polled_at")
            yield _per_source("vendorwatch_source_last_success_timestamp_seconds", "Last success.", rows,
                              "last_success_at")  # fmt: skip
            failing = GaugeMetricFamily(
                "vendorwatch_source_consecutive_failures", "Failures in a row.", labels=["source"]
            )
            for r in rows:
                failing.add_metric([r.id], r.consecutive_failures)
            yield failing
            polls = CounterMetricFamily(
                "vendorwatch_source_polls", "Polls of each source, all workers.", labels=["source"]
            )
            errors = CounterMetricFamily(
                "vendorwatch_source_fetch_errors", "Failed polls, all workers.", labels=["source"]
            )
            for r in rows:
                polls.add_metric([r.id], r.polls_total)
                errors.add_metric([r.id], r.errors_total)
            yield polls
            yield errors
            yield _count("vendorwatch_items", "Items stored.", s.execute(select(func.count(col(Item.id)))).scalar())
            quarantined = GaugeMetricFamily("vendorwatch_items_quarantined", "Items whose triage failed too often.")
            quarantined.add_metric([], items.quarantined_count(s))
            yield quarantined
            opened = s.execute(select(func.count(col(Incident.id)))).scalar()
            yield _count("vendorwatch_incidents", "Incidents opened.", opened)
            alerted = s.execute(select(func.count(col(Incident.id))).where(col(Incident.alerted))).scalar()
            yield _count("vendorwatch_incidents_alerted", "Incidents alerted.", alerted)
            by_status = CounterMetricFamily("vendorwatch_deliveries", "Outbox rows by channel and status.",
                                            labels=["channel", "status"])  # fmt: skip
            query = select(col(Delivery.channel), col(Delivery.status), func.count()).group_by(
                col(Delivery.channel), col(Delivery.status)
            )
            for channel, status, n in s.execute(query):
                by_status.add_metric([channel, status], n)
            yield by_status
            yield _latency(_latency_rows(s))


def _per_source(name: str, doc: str, rows: list[Source], attr: str) -> GaugeMetricFamily:
    gauge = GaugeMetricFamily(name, doc, labels=["source"])
    for r in rows:
        when: datetime | None = getattr(r, attr)
        if when is not None:
            gauge.add_metric([r.id], when.timestamp())
    return gauge


def _count(name: str, doc: str, value: int | None) -> CounterMetricFamily:
    return CounterMetricFamily(name, doc, value=value or 0)


def _latency_rows(s: Session) -> list[tuple[float, float]]:
    """(seconds since published-or-first-seen, seconds since first seen) for each sent Slack root."""
    roots = s.execute(
        select(col(Delivery.incident_id), col(Delivery.sent_at)).where(
            col(Delivery.kind) == "root", col(Delivery.status) == "sent", col(Delivery.channel) == "slack"
        )
    ).all()
    sent_at = {iid: at for iid, at in roots if iid is not None and at is not None}
    earliest: dict[int, tuple[datetime, datetime]] = {}
    query = select(col(IncidentReference.incident_id), Item).join(Item, col(Item.id) == col(IncidentReference.item_id))
    for iid, item in s.execute(query.where(col(IncidentReference.incident_id).in_(list(sent_at)))):
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


def serve(app: App, port: int) -> None:
    """Serve this worker's counters plus the database figures on 127.0.0.1:`port` (a daemon thread)."""
    PROCESS.register(DatabaseCollector(app))
    start_http_server(port, addr="127.0.0.1", registry=PROCESS)
