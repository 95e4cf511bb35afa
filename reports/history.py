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
from reports.exposure import exposed_dependencies
from reports.facts import DepFacts, VendorFacts
from reports.quarters import Quarter


@dataclass(frozen=True)
class PastRegistry:
    """Identity concentration and the largest blast radius at the end of `quarter`."""

    quarter: str
    taken_at: datetime  # the snapshot in force then
    concentration: Concentration
    blast_vendor: str
    blast_radius: float


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
    """Concentration and the widest blast radius (ties by name, as today's indicator) over `vendors`."""
    total = sum(len(v.deps) for v in vendors)
    radius = [(exposed_dependencies(v, vendors) / total if total else 0.0, v.name) for v in vendors]
    b, name = max(radius, default=(0.0, ""))
    return PastRegistry(quarter, taken_at, concentration(vendors), name, b)


def at_end_of(session: Session, quarter: Quarter) -> PastRegistry | None:
    """The registry at the end of `quarter`; None when vendorwatch had taken no snapshot by then."""
    snap = history.before(session, quarter.end)
    if snap is None:
        return None
    return past_registry(as_facts(snap.tallies), str(quarter), snap.taken_at)
