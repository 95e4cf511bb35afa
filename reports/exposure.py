"""Per-vendor exposure model (issue #11): pure functions over plain facts.

E (exposure pressure) = detection latency (h) x trust boundary width x privilege scope weight.
Beside it, the terms that reduce an attacker's probability of gain: binding strictness and revocation latency.
B (blast radius) = dependencies exposed by a breach of the vendor / all dependencies.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from reports.facts import IncidentFacts, VendorFacts

# Probability that a stolen token is usable elsewhere: unbound bearer tokens fully, network-bound
# (IP allow-list / private link) half, device-bound (DPoP, mTLS, TPM keys) a fifth.
BINDING_STRICTNESS = {"none": 1.0, "network": 0.5, "device": 0.2}
PRIVILEGE_WEIGHT = {"read": 1, "write": 2, "admin": 3}
# Used when a vendor never had an alerted incident with a known disclosure time: one day.
DEFAULT_DETECTION_HOURS = 24.0
# Used for revocation when a dependency states no SLA (the runbooks' default).
DEFAULT_REVOCATION_HOURS = 24.0


@dataclass(frozen=True)
class VendorExposure:
    """The exposure figures of one vendor, with how each latency was obtained."""

    vendor: str
    detection_hours: float
    detection_basis: str  # "measured (n incidents)" or "default (no incidents)"
    revocation_hours: float
    revocation_basis: str  # "measured", "SLA while open", "SLA (no incident)"
    trust_width: int
    privilege_weight: int
    pressure: float
    binding_strictness: float
    exposed_deps: int
    blast_radius: float
    users_share: float


def detection_latency(incidents: Sequence[IncidentFacts]) -> tuple[float, str]:
    """Median vendor-disclosure-to-alert hours over incidents, or the stated default when none is measured."""
    values = [h for h in (i.ttd_hours for i in incidents) if h is not None]
    if not values:
        return DEFAULT_DETECTION_HOURS, "default"
    return float(statistics.median(values)), f"measured, n={len(values)}"


def revocation_latency(vendor: VendorFacts, incidents: Sequence[IncidentFacts]) -> tuple[float, str]:
    """Median alert-to-last-task-closed hours (the SLA for incidents still open); the SLA with no incidents."""
    values: list[float] = []
    open_used = False
    for inc in incidents:
        if inc.ttr_hours is not None:
            values.append(inc.ttr_hours)
        elif inc.sla_hours is not None:
            values.append(inc.sla_hours)
            open_used = True
    if values:
        return float(statistics.median(values)), "SLA (open)" if open_used else "measured"
    slas = [d.revocation_sla_s / 3600.0 for d in vendor.deps if d.revocation_sla_s]
    return (max(slas) if slas else DEFAULT_REVOCATION_HOURS), "SLA (no incident)"


def exposed_dependencies(vendor: VendorFacts, all_vendors: Sequence[VendorFacts]) -> int:
    """Its own dependencies plus those of registered vendors its dependencies reach (fourth parties)."""
    reached = {name.casefold() for d in vendor.deps for name in d.reaches}
    others = sum(len(v.deps) for v in all_vendors if v.id != vendor.id and v.name.casefold() in reached)
    return len(vendor.deps) + others


@dataclass(frozen=True)
class Blast:
    """The widest blast radius: the vendor whose breach reaches most of our dependencies, and how many."""

    vendor: str
    exposed_deps: int
    total_deps: int
    radius: float


def widest_blast(vendors: Sequence[VendorFacts]) -> Blast | None:
    """The largest blast radius over `vendors` (ties: the last name); None for an empty registry."""
    total = sum(len(v.deps) for v in vendors)
    exposed = [(exposed_dependencies(v, vendors), v.name) for v in vendors]
    ranked = [(n / total if total else 0.0, name, n) for n, name in exposed]
    if not ranked:
        return None
    radius, name, n = max(ranked)
    return Blast(name, n, total, radius)


def widest_of(rows: Sequence[VendorExposure], total_deps: int) -> Blast | None:
    """widest_blast read off already computed exposure rows (same ties: the last name)."""
    widest = max(rows, key=lambda r: (r.blast_radius, r.vendor), default=None)
    return None if widest is None else Blast(widest.vendor, widest.exposed_deps, total_deps, widest.blast_radius)


def headcount(vendors: Sequence[VendorFacts]) -> int:
    """People in the organisation, taken as the most users behind any one vendor (the IdP covers everyone)."""
    return max((v.people for v in vendors), default=0)


def vendor_exposure(
    vendor: VendorFacts,
    incidents: Sequence[IncidentFacts],
    all_vendors: Sequence[VendorFacts],
    *,
    people: int | None = None,
    total_deps: int | None = None,
) -> VendorExposure:
    """Exposure figures of one vendor; `incidents` are that vendor's alerted incidents."""
    detect, detect_basis = detection_latency(incidents)
    revoke, revoke_basis = revocation_latency(vendor, incidents)
    width = sum(d.trust_width for d in vendor.deps)
    weight = max((PRIVILEGE_WEIGHT.get(d.privilege_scope, 1) for d in vendor.deps), default=0)
    # The loosest binding decides: an attacker uses the weakest token they obtain.
    binding = max((BINDING_STRICTNESS.get(d.token_binding, 1.0) for d in vendor.deps), default=0.0)
    total = sum(len(v.deps) for v in all_vendors) if total_deps is None else total_deps
    exposed = exposed_dependencies(vendor, all_vendors)
    people = headcount(all_vendors) if people is None else people
    return VendorExposure(
        vendor=vendor.name,
        detection_hours=detect,
        detection_basis=detect_basis,
        revocation_hours=revoke,
        revocation_basis=revoke_basis,
        trust_width=width,
        privilege_weight=weight,
        pressure=detect * width * weight,
        binding_strictness=binding,
        exposed_deps=exposed,
        blast_radius=exposed / total if total else 0.0,
        users_share=vendor.people / people if people else 0.0,
    )


def rank_exposure(vendors: Sequence[VendorFacts], incidents: Sequence[IncidentFacts]) -> list[VendorExposure]:
    """Every vendor's exposure, highest pressure first (ties: larger blast radius, then name)."""
    by_vendor: dict[int, list[IncidentFacts]] = {}
    for inc in incidents:
        by_vendor.setdefault(inc.vendor_id, []).append(inc)
    people, total = headcount(vendors), sum(len(v.deps) for v in vendors)
    rows = [vendor_exposure(v, by_vendor.get(v.id, []), vendors, people=people, total_deps=total) for v in vendors]
    return sorted(rows, key=lambda r: (-r.pressure, -r.blast_radius, r.vendor))
