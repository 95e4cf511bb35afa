"""The registry and incident records as plain, frozen data: what metrics and exposure compute from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

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
    criticality: str = "medium"
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
    status: str
    created_at: datetime
    due_at: datetime
    closed_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        """Still to do (not done, skipped or cancelled)."""
        return self.closed_at is None and self.status == "open"

    def overdue(self, now: datetime) -> bool:
        """Open past its deadline."""
        return self.is_open and self.due_at < now


@dataclass(frozen=True)
class IncidentFacts:
    """An alerted incident with the moments its response is measured by."""

    id: int
    vendor_id: int
    vendor: str
    title: str
    kind: str
    severity: str
    status: str
    opened_at: datetime
    disclosed_at: datetime | None
    alert_at: datetime | None
    tasks: tuple[TaskFacts, ...] = ()

    @property
    def ttd_hours(self) -> float | None:
        """Time to detect: vendor disclosure to our alert, in hours (None when either is unknown)."""
        if self.disclosed_at is None or self.alert_at is None:
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
