"""Health of a running deployment, read from the store: usable as a health check (`vendorwatch status`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from registry.repo import gates, items, outbox, sources
from registry.repo import tasks as task_rows
from vendorwatch.app import App
from vendorwatch.ops.health import WorkerStatus, worker_problems, workers_status
from vendorwatch.poll.sources import sync_sources
from vendorwatch.settings import Settings

FAILING_IN_A_ROW = 3
OUTBOX_MAX_AGE = timedelta(minutes=10)


@dataclass
class SourceStatus:
    """One source's last poll and error."""

    id: str
    last_polled_at: datetime | None
    last_success_at: datetime | None
    last_error: str | None
    consecutive_failures: int
    next_poll_at: datetime | None


@dataclass
class Status:
    """Everything `status` shows; `problems` is empty when nothing needs attention."""

    sources: list[SourceStatus]
    outbox_depth: int
    outbox_oldest_age_s: float | None
    failed_deliveries: int
    open_tasks: int
    overdue_tasks: int
    problems: list[str] = field(default_factory=list)
    quarantined_items: int = 0  # items whose triage failed too often to retry
    quarantined_tasks: int = 0  # open tasks whose reminders failed too often to retry
    workers: list[WorkerStatus] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        """True when no problem was found."""
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (timestamps as ISO strings by the caller's encoder)."""
        return {**asdict(self), "healthy": self.healthy}


def collect(app: App) -> Status:
    """Read the current state and list what needs attention."""
    now = app.now()
    with app.session() as s:
        sync_sources(s, app.settings.sources)
    with app.session() as s:
        configured = [c.id for c in app.settings.sources]  # a removed source's old errors are not news
        rows = sources.configured(s, configured)
        sources_ = [
            SourceStatus(
                r.id, r.last_polled_at, r.last_success_at, r.last_error, r.consecutive_failures, r.next_poll_at
            )
            for r in rows
        ]
        # A delivery that failed for good stays alarming until an operator resends or dismisses it (issue 24).
        queue = outbox.counts(s)
        oldest = outbox.oldest_waiting(s)
        tasks = task_rows.list_tasks(s, open_only=True)
        quarantined = items.quarantined_count(s)
        stuck = task_rows.set_aside_count(s)
        fleet = workers_status(s, now)
    overdue = sum(1 for t in tasks if t.due_at < now)
    status = Status(
        sources_,
        queue.waiting,
        (now - oldest).total_seconds() if oldest else None,
        queue.failed,
        len(tasks),
        overdue,
        quarantined_items=quarantined,
        quarantined_tasks=stuck,
    )
    status.workers = fleet
    status.problems = (
        settings_problems(app.settings) + worker_problems(fleet) + _problems(status) + _channel_problems(app)
    )
    return status


def settings_problems(settings: Settings) -> list[str]:
    """What the settings promise but cannot do (a channel without its secret): `status` and `run` say it."""
    if "slack" in settings.channels and settings.secret("slack_bot_token") is None:
        return ["slack: channels lists slack but SLACK_BOT_TOKEN is not set (alerts go to the console instead)"]
    return []


def _channel_problems(app: App) -> list[str]:
    """Open circuit breakers and missing channel capabilities (e.g. Slack scopes), with the risk they carry."""
    with app.session() as s:
        found = [f"channel {g.key}: {g.warning}" for g in gates.all_gates(s) if g.warning]
        found += [f"channel {g.key}: failing ({g.failures} in a row, probed): {g.last_error}"
                  for g in gates.all_gates(s) if g.failures >= FAILING_IN_A_ROW]  # fmt: skip
        found += [f"channel {t.kind}:{t.name}: {t.problem}" for t in gates.target_problems(s)]
    return found


def _problems(st: Status) -> list[str]:
    problems = [
        f"source {src.id}: {src.consecutive_failures} failures in a row ({src.last_error})"
        for src in st.sources
        if src.consecutive_failures >= FAILING_IN_A_ROW
    ]
    if st.outbox_oldest_age_s is not None and st.outbox_oldest_age_s > OUTBOX_MAX_AGE.total_seconds():
        problems.append(f"outbox: oldest message waiting {st.outbox_oldest_age_s / 60:.0f} min (is `run` running?)")
    if st.failed_deliveries:
        problems.append(f"outbox: {st.failed_deliveries} deliveries failed for good (until resent or dismissed)")
    if st.overdue_tasks:
        problems.append(f"tasks: {st.overdue_tasks} overdue")
    if st.quarantined_items:
        problems.append(f"items: {st.quarantined_items} quarantined after failing triage (the error is on each item)")
    if st.quarantined_tasks:
        problems.append(
            f"tasks: {st.quarantined_tasks} no longer reminded after failing {task_rows.REMINDER_TRIES} times"
            " (`vendorwatch audit list --entity task` shows the error)"
        )
    return problems
