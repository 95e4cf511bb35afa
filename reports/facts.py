"""The registry and incident records as plain, frozen data: what metrics and exposure compute from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from registry.vocab import Criticality, TaskStatus

HOUR = 3600.0


@dataclass(frozen=True)
class DepFacts:
    """One dependency on a vendor, with the exposure fields of the registry."""

    id: int
    vendor_id: int
    name: str
    kind: str
    users: int = 0
    token_binding: str = "none"
    privilege_scope: str = "read"
    trust_width: int = 1
    reaches: tuple[str, ...] = ()
    revocation_sla_s: int | None = None
    credentials: int = 0


@dataclass(frozen=True)
class VendorFacts:
    """A vendor and its dependencies."""

    id: int
    name: str
    category: str = ""
    criticality: Criticality = Criticality.medium
    owner: str = ""
    users: int = 0
    review_cadence_days: int | None = None
    deps: tuple[DepFacts, ...] = ()

    @property
    def people(self) -> int:
        """Users behind the vendor: its own figure or the sum over its dependencies, whichever is larger."""
        return max(self.users, sum(d.users for d in self.deps))


@dataclass(frozen=True)
class TaskFacts:
    """A revoke/rotate task of an incident."""

    id: int
    incident_id: int
    vendor_id: int
    title: str
    owner: str
    step: str
    status: TaskStatus
    created_at: datetime
    due_at: datetime
    closed_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        """Still to do (not done, skipped or cancelled)."""
        return self.closed_at is None and self.status == TaskStatus.open

    def overdue(self, now: datetime) -> bool:
        """Open past its deadline."""
        return self.is_open and self.due_at < now

    def open_at(self, when: datetime) -> bool:
        """Open at that moment: created before it and not yet closed then (for past quarters' figures)."""
        if self.created_at >= when:
            return False
        return self.is_open if self.closed_at is None else self.closed_at >= when

    @property
    def late_hours(self) -> float | None:
        """How long after its deadline it was closed; None when on time or still open."""
        if self.closed_at is None or self.closed_at <= self.due_at:
            return None
        return (self.closed_at - self.due_at).total_seconds() / HOUR


@dataclass(frozen=True)
class IncidentFacts:
    """An alerted incident with the moments its response is measured by."""

    id: int
    vendor_id: int
    vendor: str
    title: str
    kind: str  # the IncidentKind, SeverityLevel and IncidentStatus words (the dashboard fills in only the times)
    severity: str
    status: str
    opened_at: datetime
    disclosed_at: datetime | None
    alert_at: datetime | None
    tasks: tuple[TaskFacts, ...] = ()
    backfilled: bool = False  # disclosed before we were watching; found by a wider look-back

    @property
    def reported_at(self) -> datetime:
        """The moment that places the incident in a quarter: the vendor's disclosure, else our alert."""
        return self.disclosed_at or self.alert_at or self.opened_at

    @property
    def ttd_hours(self) -> float | None:
        """Time to detect: vendor disclosure to our alert, in hours (None when unknown or back-filled)."""
        if self.disclosed_at is None or self.alert_at is None or self.backfilled:
            return None
        return max(0.0, (self.alert_at - self.disclosed_at).total_seconds() / HOUR)

    @property
    def closed(self) -> bool:
        """Every task closed (and there was at least one)."""
        return bool(self.tasks) and all(not t.is_open for t in self.tasks)

    @property
    def ttr_hours(self) -> float | None:
        """Time to revoke: alert to the last task closed, in hours; None while any task is open."""
        if self.alert_at is None or not self.closed:
            return None
        last = max(t.closed_at or t.due_at for t in self.tasks)
        return max(0.0, (last - self.alert_at).total_seconds() / HOUR)

    @property
    def sla_hours(self) -> float | None:
        """The response SLA: alert to the latest task deadline, in hours."""
        if self.alert_at is None or not self.tasks:
            return None
        return max(0.0, (max(t.due_at for t in self.tasks) - self.alert_at).total_seconds() / HOUR)

    def sla_state(self, now: datetime) -> str:
        """met | missed | open | overdue | no tasks."""
        if not self.tasks:
            return "no tasks"
        if self.closed:
            return "met" if all((t.closed_at or t.due_at) <= t.due_at for t in self.tasks) else "missed"
        return "overdue" if any(t.overdue(now) for t in self.tasks) else "open"
