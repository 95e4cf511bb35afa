"""The registry as it stood at a past quarter's end, from the store's snapshots (registry/repo/history.py).

Concentration and blast radius are recomputed from the snapshot with the same functions as today's figures,
so a change between quarters is a change in the registry, never in the method.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from registry.repo import history
from registry.repo.history import VendorTally
from reports.concentration import Concentration, concentration
from reports.exposure import Blast, widest_blast
from reports.facts import DepFacts, VendorFacts
from reports.quarters import Quarter
from reports.render import _day

NO_SNAPSHOT = "No registry snapshot by the end of {q}: registry figures are as of {day}."
FROM_SNAPSHOT = "{what}: the registry at the end of {q} (snapshot taken {taken})."
DETAIL = "{what}: registry detail as of {day}; the snapshot at the end of {q} keeps counts only."


@dataclass(frozen=True)
class PastRegistry:
    """Identity concentration and the largest blast radius at the end of `quarter`."""

    quarter: str
    taken_at: datetime  # the snapshot in force then
    vendors: int
    concentration: Concentration
    blast: Blast | None  # None for an empty registry


def as_facts(tallies: Sequence[VendorTally]) -> list[VendorFacts]:
    """Vendors rebuilt from tallies: as many dependencies as counted, the admin ones first, users and reaches on
    the first. Every figure concentration and blast radius read (counts, people, critical access, reached
    names) comes out as it was; dependency names and other fields are not kept."""
    vendors = []
    for n, t in enumerate(tallies, start=1):
        deps = tuple(
            DepFacts(
                id=0,
                vendor_id=n,
                name="",
                kind="",
                users=t.dep_users if k == 0 else 0,
                privilege_scope="admin" if k < t.admin_deps else "read",
                reaches=t.reaches if k == 0 else (),
            )
            for k in range(t.deps)
        )
        vendors.append(VendorFacts(n, t.name, t.category, t.criticality, users=t.users, deps=deps))
    return vendors


def past_registry(vendors: Sequence[VendorFacts], quarter: str, taken_at: datetime) -> PastRegistry:
    """Concentration and the widest blast radius over `vendors`, as today's figures are computed."""
    return PastRegistry(quarter, taken_at, len(vendors), concentration(vendors), widest_blast(vendors))


def at_end_of(session: Session, quarter: Quarter) -> PastRegistry | None:
    """The registry at the end of `quarter`; None when vendorwatch had taken no snapshot by then."""
    snap = history.before(session, quarter.end)
    if snap is None:
        return None
    return past_registry(as_facts(snap.tallies), str(quarter), snap.taken_at)


@dataclass(frozen=True)
class RegistrySource:
    """Which registry a quarter's concentration and blast radius describe, and the words that say so.

    A past quarter's come from the snapshot at its end. What a snapshot does not keep (dependency names and
    fields, owners, so fourth-party links and the exposure ranking) stays today's registry, and so does
    everything when no snapshot is that old. The running quarter is today's registry and says nothing.
    """

    quarter: str
    past: bool  # the quarter ended before the report was generated
    read_at: datetime  # when today's registry was read: the report's generation
    snapshot: PastRegistry | None  # the registry at a past quarter's end; None for the running quarter or none kept

    def figures(self, what: str) -> str:
        """Which registry `what` (concentration, blast radius) describes; empty for the running quarter."""
        if not self.past:
            return ""
        if self.snapshot is None:
            return NO_SNAPSHOT.format(q=self.quarter, day=_day(self.read_at))
        return FROM_SNAPSHOT.format(what=what, q=self.quarter, taken=_day(self.snapshot.taken_at))

    def detail(self, what: str) -> str:
        """That `what`, figures a snapshot cannot give, is today's registry; empty for the running quarter."""
        if self.snapshot is None:
            return self.figures(what)
        return DETAIL.format(what=what, day=_day(self.read_at), q=self.quarter)


def registry_source(session: Session, quarter: Quarter, now: datetime) -> RegistrySource:
    """The registry `quarter`'s figures describe: the snapshot at its end once it has ended, else today's."""
    past = quarter.end <= now
    return RegistrySource(str(quarter), past, now, at_end_of(session, quarter) if past else None)
