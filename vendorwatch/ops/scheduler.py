"""`vendorwatch run`: the APScheduler jobs, listed in one place, and a clean stop on SIGINT/SIGTERM.

Several workers may share one PostgreSQL database: every job claims its work with row locks or leases
(sources, outbox, triage), and singleton jobs run only in the worker holding the advisory lock (PITFALLS:
APScheduler — each worker has its own in-memory job store; never share one).
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType

from apscheduler.schedulers.background import BackgroundScheduler

from connectors.parsing import ParsePool
from notify.base import Channel
from registry.repo import locks
from registry.repo.locks import ProcessLock, SingletonLock
from vendorwatch.app import App
from vendorwatch.cli.reports import scheduled_board_report
from vendorwatch.delivery import outbox
from vendorwatch.delivery.channels import build_channels
from vendorwatch.incidents.daily import send_due_digests
from vendorwatch.incidents.deadlines import send_deadline_reminders
from vendorwatch.incidents.lifecycle import close_quiet
from vendorwatch.ops import metrics
from vendorwatch.ops.heartbeat import Ledger, beat_until, wait_or_give_up
from vendorwatch.ops.logs import quiet_library_loggers
from vendorwatch.poll import pipeline, sources
from vendorwatch.reviews import send_review_reminders
from vendorwatch.runbooks.reminders import send_reminders

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobSpec:
    """One scheduled job: how often, how late it may still run, and whether only one worker runs it."""

    id: str
    run: Callable[[Worker], None]
    every_s: float
    grace_s: int
    jitter_s: int | None = None
    singleton: bool = False
    budget_s: float = 120.0  # past it the job is abandoned and recorded as failed (vendorwatch.ops.heartbeat)


class Worker:
    """The jobs of one `run` process, callable directly (tests, benchmarks) or from the scheduler."""

    def __init__(self, app: App, channels: dict[str, Channel] | None = None) -> None:
        self.app = app
        self.channels = channels if channels is not None else build_channels(app.settings)
        self.worker_id = sources.WORKER_ID
        self.singleton = SingletonLock(app.engine)
        self._dispatching = threading.Lock()
        self.ledger = Ledger(app, self.worker_id)
        # One parse pool for every poll: its worker process starts once, not on each poll that finds work.
        self.parser = ParsePool(app.settings.parse_processes, app.settings.parse_timeout_s)

    def poll(self) -> None:
        """Fetch the sources that are due, triage new items, and send any alert right away."""
        report = pipeline.poll_cycle(self.app, parser=self.parser)
        metrics.record_poll(report)
        if report.polled or report.alerts:
            logger.info(
                "poll: %d sources, %d new items, %d alerts", report.polled, report.new_items, len(report.alerts)
            )
        if report.alerts:
            self.dispatch()  # no need to wait for the next dispatch tick

    def close(self) -> None:
        """Stop the parse workers (after the scheduler has stopped)."""
        self.parser.close()

    def dispatch(self) -> None:
        """One pass over the outbox (rows claimed with SKIP LOCKED, so workers share it)."""
        with self._dispatching:
            stats = outbox.dispatch_for(self.app, self.channels, worker=self.worker_id, seconds=0.9)
        metrics.record_dispatch(stats)

    def reminders(self) -> None:
        """Task deadline reminders and escalations; recorded incidents gone quiet are closed."""
        send_reminders(self.app)
        close_quiet(self.app)

    def deadline_reminders(self) -> None:
        """Regulatory deadline reminders and deadline-passed messages in the incidents' threads."""
        send_deadline_reminders(self.app)

    def review_reminders(self) -> None:
        """Vendor review reminders."""
        send_review_reminders(self.app)

    def daily_digest(self) -> None:
        """Each route's daily digest once its time has come (queued once per route and day, then dispatched)."""
        if send_due_digests(self.app):
            self.dispatch()

    def board_report(self) -> None:
        """The quarterly board report (written once per quarter)."""
        scheduled_board_report(self.app)


# Every job `run` schedules. Polling ticks twice a second (a cheap query) but each source is fetched only when its own
# next_poll_at (interval with jitter, backoff on failure) has come; grace is generous so a busy worker
# runs late rather than silently skipping (APScheduler's default grace is 1 s).
JOBS: tuple[JobSpec, ...] = (
    JobSpec("poll", Worker.poll, every_s=0.5, grace_s=300),
    JobSpec("dispatch", Worker.dispatch, every_s=1, grace_s=300),
    JobSpec("reminders", Worker.reminders, every_s=60, grace_s=600, jitter_s=10, singleton=True),
    JobSpec("deadline_reminders", Worker.deadline_reminders, every_s=60, grace_s=600, jitter_s=10, singleton=True),
    # Every minute: a digest is due at its route's local time; the outbox key makes it once per route and day.
    JobSpec("daily_digest", Worker.daily_digest, every_s=60, grace_s=600, jitter_s=5, singleton=True),
    JobSpec("review_reminders", Worker.review_reminders, every_s=3600, grace_s=3600, jitter_s=60, singleton=True),
    JobSpec(
        "board_report",
        Worker.board_report,
        every_s=6 * 3600,
        grace_s=6 * 3600,
        jitter_s=300,
        singleton=True,
        budget_s=3600,
    ),
)


def _job(worker: Worker, spec: JobSpec) -> Callable[[], None]:
    def run() -> None:
        if spec.singleton and not worker.singleton.held():
            return
        # Failures and hangs are logged, counted and kept for the heartbeat; the next tick retries.
        worker.ledger.run(spec.id, spec.budget_s, lambda: spec.run(worker))

    return run


def build_scheduler(worker: Worker, jobs: tuple[JobSpec, ...] = JOBS) -> BackgroundScheduler:
    """A scheduler with every job: coalescing, one instance per job, generous misfire grace."""
    scheduler = BackgroundScheduler(timezone="UTC")
    for spec in jobs:
        scheduler.add_job(
            _job(worker, spec),
            "interval",
            id=spec.id,
            name=spec.id,
            seconds=spec.every_s,
            jitter=spec.jitter_s,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=spec.grace_s,
        )
    return scheduler


def prepare(app: App) -> None:
    """Migrate and register sources once, even when several workers start together on PostgreSQL."""
    shared = locks.migrate_once(
        app.settings.database_url,
        app.settings.db_connect_timeout_s,
        lambda: app.engine,  # opening the engine migrates
    )
    if not shared:
        return
    with app.session() as s:
        locks.lock_source_sync(s)
        sources.sync_sources(s, app.settings.sources)


def run_forever(app: App, *, stop: threading.Event | None = None) -> int:
    """Run every job until SIGINT/SIGTERM (or `stop`), then finish running jobs and release the locks.

    Returns the exit code: 0 after a signal, 1 when the database took no heartbeat for `give_up_after`.
    """
    lock = ProcessLock(app.settings.database_url)
    lock.acquire()  # raises AlreadyRunning before anything else starts
    stop = stop or threading.Event()
    try:
        quiet_library_loggers()
        prepare(app)
        worker = Worker(app)
        worker.parser.start()  # the parse worker process is up before the first poll (not timed by its alerts)
        if app.settings.metrics_port:  # the fleet's figures from one endpoint only: the singleton's
            metrics.serve(app, app.settings.metrics_port, exports_fleet=worker.singleton.holding)
        scheduler = build_scheduler(worker)

        def _stop(signum: int, _frame: FrameType | None) -> None:
            logger.info("received %s: stopping after the running jobs", signal.Signals(signum).name)
            stop.set()

        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, _stop)
            signal.signal(signal.SIGTERM, _stop)
        scheduler.start()
        beats = threading.Thread(target=beat_until, args=(worker.ledger, stop), name="heartbeat", daemon=True)
        beats.start()
        logger.info("vendorwatch run: %d sources, worker %s", len(app.settings.sources), worker.worker_id)
        gave_up = wait_or_give_up(worker.ledger, stop)
        scheduler.shutdown(wait=True)
        worker.close()
        worker.singleton.release()
        beats.join(timeout=60)  # a beat in flight must not land after the last one
        worker.ledger.beat(stopped=True)
        return 1 if gave_up else 0
    finally:
        lock.release()
