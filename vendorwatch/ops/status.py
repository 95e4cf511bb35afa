"""Health of a running deployment, read from the store: usable as a health check (`vendorwatch status`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from registry import readonly
from registry.deadlines import Deadline, compute
from registry.rows import REMINDER_FAILED, REMINDER_TRIES, REMINDERS_RESUMED
from vendorwatch.ops.health import WorkerStatus, worker_problems, workers_status
from vendorwatch.settings import Settings
from vendorwatch.wording import plural

if TYPE_CHECKING:
    from vendorwatch.app import App

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
    """Read the current state through the store (which creates or migrates the schema first) and judge it.

    Nothing is written otherwise: a configured source the store has not seen yet reads as never polled.
    """
    from registry.db import read_scope  # late: the ORM, which `quick` does without

    with read_scope(app.engine) as s:  # one snapshot throughout, as `quick` reads
        return read(readonly.Reader.of_session(s), app.settings, app.now())


def quick(settings: Settings, now: datetime) -> Status | None:
    """`collect` without loading the ORM, for a database at this version's schema; None when the store must open it.

    This is what keeps `vendorwatch status` (a health check run every few seconds) fast to start.
    """
    reader = readonly.open_reader(settings.database_url, settings.db_timeouts)
    if reader is None:
        return None
    try:
        return read(reader, settings, now)
    finally:
        reader.close()


def read(r: readonly.Reader, settings: Settings, now: datetime) -> Status:
    """Everything `status` shows, from one reader, with the problems that need attention."""
    configured = [c.id for c in settings.sources]  # a removed source's old errors are not news
    sources_ = [SourceStatus(**vars(row)) for row in readonly.configured_sources(r, configured)]
    # A delivery that failed for good stays alarming until an operator resends or dismisses it (issue 24).
    waiting, failed = readonly.outbox_counts(r)
    oldest = readonly.oldest_waiting(r)
    held = readonly.collecting_until(r)
    held_due = [when for when in held if when <= now]
    tasks = readonly.open_tasks(r)
    reminder_failures = readonly.counts_since(r, action=REMINDER_FAILED, entity="task", reset=REMINDERS_RESUMED)
    fleet = workers_status(readonly.workers(r), now)
    near = upcoming_deadlines(r, settings.regimes, now)
    status = Status(
        sources_,
        waiting,
        (now - oldest).total_seconds() if oldest else None,
        failed,
        len(tasks),
        sum(1 for _, due in tasks if due < now),
        quarantined_items=readonly.quarantined_items(r),
        quarantined_tasks=sum(1 for i, _ in tasks if reminder_failures.get(str(i), 0) >= REMINDER_TRIES),
        workers=fleet,
        deadlines=near,
        collecting=len(held),
        collecting_due=len(held_due),
        collecting_overdue_s=(now - min(held_due)).total_seconds() if held_due else None,
    )
    status.problems = settings_problems(settings) + worker_problems(fleet) + _problems(status) + _channel_problems(r)
    return status


def upcoming_deadlines(r: readonly.Reader, regimes: list[str], now: datetime) -> list[DeadlineStatus]:
    """Unsubmitted regulatory deadlines of incidents not dismissed, overdue or due within 24 h, soonest first."""
    if not regimes:
        return []
    found = compute(readonly.clock_events(r), regimes)
    gone = readonly.dismissed(r, {d.incident_id for d in found})
    near = [
        d for d in found if d.incident_id not in gone and d.submitted_at is None and d.due - now <= DEADLINES_WITHIN
    ]
    return [DeadlineStatus(d.incident_id, d.regime, d.step, d.due, d.status(now)) for d in sorted(near, key=_due)]


def _due(d: Deadline) -> tuple[datetime, int]:
    return d.due, d.incident_id


def settings_problems(settings: Settings) -> list[str]:
    """What the settings promise but cannot do (a channel without its secret): `status` and `run` say it."""
    if "slack" in settings.channels and settings.secret("slack_bot_token") is None:
        return ["slack: channels lists slack but SLACK_BOT_TOKEN is not set (alerts go to the console instead)"]
    return []


def _channel_problems(r: readonly.Reader) -> list[str]:
    """Open circuit breakers and missing channel capabilities (e.g. Slack scopes), with the risk they carry."""
    gates = readonly.gates(r)
    found = [f"channel {g.key}: {g.warning}" for g in gates if g.warning]
    found += [
        f"channel {g.key}: failing ({g.failures} in a row, probed): {g.last_error}"
        for g in gates
        if g.failures >= FAILING_IN_A_ROW
    ]
    found += [f"channel {kind}:{name}: {problem}" for kind, name, problem in readonly.target_problems(r)]
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
            f"tasks: {st.quarantined_tasks} no longer reminded after failing {REMINDER_TRIES} times"
            " (`vendorwatch audit list --entity task` shows the error; `tasks resume ID --by NAME` once fixed)"
        )
    return problems
