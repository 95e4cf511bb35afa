"""Health of a running deployment, read from the store: usable as a health check (`vendorwatch status`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from registry.repo import clocks, digests, gates, items, outbox, sources
from registry.repo import tasks as task_rows
from vendorwatch.app import App
from vendorwatch.ops.health import WorkerStatus, worker_problems, workers_status
from vendorwatch.poll.sources import sync_sources
from vendorwatch.settings import Settings
from vendorwatch.wording import plural

FAILING_IN_A_ROW = 3
OUTBOX_MAX_AGE = timedelta(minutes=10)
DEADLINES_WITHIN = timedelta(hours=24)


@dataclass
class DeadlineStatus:
    """A regulatory deadline due within 24 h, or overdue, not yet recorded as submitted."""

    incident_id: int
    regime: str
    step: str
    due: datetime
    status: str  # due-soon | overdue


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
    deadlines: list[DeadlineStatus] = field(default_factory=list)  # regulatory, within 24 h or overdue
    collecting: int = 0  # coalesced follow-ups held for their window (not yet in the outbox queue)
    collecting_due: int = 0  # of them, past their window: the next dispatch pass releases them
    collecting_overdue_s: float | None = None  # how long the oldest due one has waited for that pass

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
        held = digests.held_counts(s, now)
        oldest = outbox.oldest_waiting(s)
        tasks = task_rows.list_tasks(s, open_only=True)
        quarantined = items.quarantined_count(s)
        stuck = task_rows.set_aside_count(s)
        fleet = workers_status(s, now)
        near = upcoming_deadlines(s, app.settings.regimes, now)
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
        collecting=held.collecting,
        collecting_due=held.due,
        collecting_overdue_s=(now - held.oldest_due).total_seconds() if held.oldest_due else None,
    )
    status.workers = fleet
    status.deadlines = near
    status.problems = (
        settings_problems(app.settings) + worker_problems(fleet) + _problems(status) + _channel_problems(app)
    )
    return status


def upcoming_deadlines(session: Session, regimes: list[str], now: datetime) -> list[DeadlineStatus]:
    """Unsubmitted regulatory deadlines overdue or due within 24 h, soonest first."""
    rows = clocks.deadlines(session, regimes, skip_dismissed=True)
    near = [d for d in rows if d.submitted_at is None and d.due - now <= DEADLINES_WITHIN]
    return [DeadlineStatus(d.incident_id, d.regime, d.step, d.due, d.status(now)) for d in sorted(near, key=_due)]


def _due(d: clocks.Deadline) -> tuple[datetime, int]:
    return d.due, d.incident_id


def settings_problems(settings: Settings) -> list[str]:
    """What the settings promise but cannot do (a channel without its secret): `status` and `run` say it."""
    if "slack" in settings.channels and settings.secret("slack_bot_token") is None:
        return ["slack: channels lists slack but SLACK_BOT_TOKEN is not set (alerts go to the console instead)"]
    return []


def _channel_problems(app: App) -> list[str]:
    """Open circuit breakers and missing channel capabilities (e.g. Slack scopes), with the risk they carry."""
    with app.session() as s:
        found = [f"channel {g.key}: {g.warning}" for g in gates.all_gates(s) if g.warning]
        found += [
            f"channel {g.key}: failing ({g.failures} in a row, probed): {g.last_error}"
            for g in gates.all_gates(s)
            if g.failures >= FAILING_IN_A_ROW
        ]
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
    if st.collecting_overdue_s is not None and st.collecting_overdue_s > OUTBOX_MAX_AGE.total_seconds():
        problems.append(
            f"outbox: {plural(st.collecting_due, 'coalesced follow-up')} past the coalescing window for"
            f" {st.collecting_overdue_s / 60:.0f} min (is `run` running?)"
        )
    if st.failed_deliveries:
        problems.append(
            f"outbox: {plural(st.failed_deliveries, 'delivery', 'deliveries')} failed for good"
            " (until resent or dismissed)"
        )
    if st.overdue_tasks:
        problems.append(f"tasks: {st.overdue_tasks} overdue")
    if late := [d for d in st.deadlines if d.status == "overdue"]:
        first = late[0]
        problems.append(
            f"deadlines: {plural(len(late), 'regulatory deadline')} passed unrecorded, the first "
            f"{first.regime} {first.step} of incident {first.incident_id} "
            f"(`vendorwatch incidents notified ID --regime R --step S --by NAME` once sent)"
        )
    if st.quarantined_items:
        problems.append(
            f"items: {st.quarantined_items} quarantined after failing triage"
            " (`vendorwatch items list`; `items retry ID --by NAME` once fixed)"
        )
    if st.quarantined_tasks:
        problems.append(
            f"tasks: {st.quarantined_tasks} no longer reminded after failing {task_rows.REMINDER_TRIES} times"
            " (`vendorwatch audit list --entity task` shows the error; `tasks resume ID --by NAME` once fixed)"
        )
    return problems
