"""Regulatory deadlines computed from the decisions that start them and the submissions that stop them.

Pure: the events come from the store (registry.repo.clocks through the ORM, registry.readonly without it).
DORA, NIS2 and SEC deadlines count from audited decisions (`incident.classified_major`,
`incident.determined_material`) and each step's recorded submission (`incident.notified`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from registry.holidays import add_business_days, add_month

REGIMES = ("dora", "nis2", "sec")
MAJOR, MATERIAL, NOTIFIED = "incident.classified_major", "incident.determined_material", "incident.notified"
STEPS = {
    "dora": ("initial", "intermediate", "final"),
    "nis2": ("early-warning", "notification", "final"),
    "sec": ("form-8-k",),
}
LABELS = {
    ("dora", "initial"): "DORA initial notification",
    ("dora", "intermediate"): "DORA intermediate report",
    ("dora", "final"): "DORA final report",
    ("nis2", "early-warning"): "NIS2 early warning",
    ("nis2", "notification"): "NIS2 incident notification",
    ("nis2", "final"): "NIS2 final report",
    ("sec", "form-8-k"): "SEC Form 8-K (Item 1.05)",
}
DUE_SOON = timedelta(hours=24)


@dataclass(frozen=True)
class Deadline:
    """One step of one regime for one incident: when it is due and, once recorded, when it was submitted."""

    incident_id: int
    regime: str
    step: str
    due: datetime
    submitted_at: datetime | None = None
    submitted_by: str | None = None

    @property
    def label(self) -> str:
        """What the step is called, e.g. 'DORA initial notification'."""
        return LABELS[self.regime, self.step]

    def status(self, now: datetime) -> str:
        """met | late (submitted after its due time) | overdue | due-soon (within 24 h) | pending."""
        if self.submitted_at is not None:
            return "met" if self.submitted_at <= self.due else "late"
        if self.due <= now:
            return "overdue"
        return "due-soon" if self.due - now <= DUE_SOON else "pending"

    def as_json(self, now: datetime) -> dict[str, Any]:
        """The shape of `incidents show --json` and `status --json`."""
        submitted = self.submitted_at.isoformat() if self.submitted_at else None
        return {
            "regime": self.regime,
            "step": self.step,
            "due": self.due.isoformat(),
            "status": self.status(now),
            "submitted_at": submitted,
        }


def _steps(regime: str, decided: datetime, aware: datetime, sent: dict[str, datetime]) -> list[tuple[str, datetime]]:
    """Each step's due time; a later step counts from the earlier one's submission once it is recorded."""
    if regime == "dora":  # Art. 19(4) DORA; Delegated Regulation (EU) 2025/301 Art. 5
        initial = min(decided + timedelta(hours=4), aware + timedelta(hours=24))
        intermediate = sent.get("initial", initial) + timedelta(hours=72)
        return [
            ("initial", initial),
            ("intermediate", intermediate),
            ("final", add_month(sent.get("intermediate", intermediate))),
        ]
    if regime == "nis2":  # Art. 23(4) NIS2: from becoming aware of a significant incident (the decision)
        notification = decided + timedelta(hours=72)
        return [
            ("early-warning", decided + timedelta(hours=24)),
            ("notification", notification),
            ("final", add_month(sent.get("notification", notification))),
        ]
    return [("form-8-k", add_business_days(decided, 4))]  # Form 8-K Item 1.05: four business days


class ClockEvent(Protocol):
    """What the computation reads of an audit event (an AuditEvent row, or a plain row read without the ORM)."""

    @property
    def entity_id(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def after(self) -> dict[str, Any] | None: ...
    @property
    def actor(self) -> str: ...


def compute(events: Iterable[ClockEvent], regimes: Iterable[str]) -> list[Deadline]:
    """Every started clock's steps, by incident then regime order then step; `events` in the order recorded."""
    wanted = [r for r in REGIMES if r in set(regimes)]
    if not wanted:
        return []
    decisions: dict[tuple[int, str], ClockEvent] = {}
    sent: dict[tuple[int, str, str], ClockEvent] = {}
    for event in events:
        iid, after = int(event.entity_id), event.after or {}
        if event.action == NOTIFIED:
            sent.setdefault((iid, str(after.get("regime")), str(after.get("step"))), event)
        else:
            decisions.setdefault((iid, event.action), event)
    found: list[Deadline] = []
    for iid in sorted({iid for iid, _ in decisions}):
        for regime in wanted:
            start = decisions.get((iid, MATERIAL if regime == "sec" else MAJOR))
            if start is None or not start.after:
                continue
            done = {step: _submitted(sent[iid, regime, step]) for step in STEPS[regime] if (iid, regime, step) in sent}
            decided = datetime.fromisoformat(start.after["decided_at"])
            aware = datetime.fromisoformat(start.after["aware_at"])
            for step, due in _steps(regime, decided, aware, done):
                record = sent.get((iid, regime, step))
                found.append(Deadline(iid, regime, step, due, done.get(step), record.actor if record else None))
    return found


def _submitted(event: ClockEvent) -> datetime:
    return datetime.fromisoformat((event.after or {})["submitted_at"])
