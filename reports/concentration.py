"""Concentration risk: who holds our critical dependencies and users, HHI, single points of failure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from registry.vocab import Criticality
from reports.exposure import headcount
from reports.facts import DepFacts, VendorFacts

# US DoJ/FTC 2023 merger guidelines bands for HHI on a 0-10,000 scale.
HHI_MODERATE = 1000
HHI_HIGH = 1800


@dataclass(frozen=True)
class VendorShare:
    """One vendor's share of dependencies, critical dependencies and users."""

    vendor: str
    category: str
    criticality: str
    deps: int
    critical_deps: int
    users: int
    dep_share: float
    critical_share: float
    users_share: float


@dataclass(frozen=True)
class FourthPartyLink:
    """A dependency on one vendor that reaches other systems or vendors (e.g. OAuth tokens into them)."""

    vendor: str
    dependency: str
    reaches: tuple[str, ...]
    registered: tuple[str, ...]  # the reached names that are vendors in our registry


@dataclass(frozen=True)
class Concentration:
    """Concentration risk across the registry."""

    shares: list[VendorShare]
    hhi: int
    hhi_band: str
    single_points: list[VendorShare]
    fourth_party: list[FourthPartyLink]
    total_deps: int
    total_critical: int
    people: int


def is_critical(vendor: VendorFacts, dep: DepFacts) -> bool:
    """A dependency is critical when its vendor is rated critical or it grants admin privilege."""
    return vendor.criticality == Criticality.critical or dep.privilege_scope == "admin"


def hhi(shares: Sequence[float]) -> int:
    """Herfindahl-Hirschman index: sum of squared percentage shares (0-10,000)."""
    return round(sum((100.0 * s) ** 2 for s in shares))


def hhi_band(value: int) -> str:
    """unconcentrated | moderately concentrated | highly concentrated."""
    if value > HHI_HIGH:
        return "highly concentrated"
    return "moderately concentrated" if value >= HHI_MODERATE else "unconcentrated"


def concentration(vendors: Sequence[VendorFacts]) -> Concentration:
    """Shares per vendor (largest critical share first), HHI over dependency share, SPOFs, fourth parties."""
    total = sum(len(v.deps) for v in vendors)
    crit = {v.id: sum(is_critical(v, d) for d in v.deps) for v in vendors}
    total_crit = sum(crit.values())
    people = headcount(vendors)
    shares = [
        VendorShare(
            vendor=v.name,
            category=v.category or "uncategorised",
            criticality=v.criticality,
            deps=len(v.deps),
            critical_deps=crit[v.id],
            users=v.people,
            dep_share=len(v.deps) / total if total else 0.0,
            critical_share=crit[v.id] / total_crit if total_crit else 0.0,
            users_share=v.people / people if people else 0.0,
        )
        for v in vendors
    ]
    shares.sort(key=lambda s: (-s.critical_share, -s.dep_share, s.vendor))
    index = hhi([s.dep_share for s in shares])
    return Concentration(
        shares, index, hhi_band(index), single_points(shares), fourth_party(vendors), total, total_crit, people
    )


def single_points(shares: Sequence[VendorShare]) -> list[VendorShare]:
    """Vendors that are the only one of their category holding critical dependencies."""
    holders: dict[str, list[VendorShare]] = {}
    for s in shares:
        if s.critical_deps:
            holders.setdefault(s.category, []).append(s)
    return [group[0] for group in holders.values() if len(group) == 1]


def fourth_party(vendors: Sequence[VendorFacts]) -> list[FourthPartyLink]:
    """Every dependency that reaches other systems; most registered vendors reached first."""
    names = {v.name.casefold() for v in vendors}
    links = [
        FourthPartyLink(v.name, d.name, d.reaches, tuple(t for t in d.reaches if t.casefold() in names))
        for v in vendors
        for d in v.deps
        if d.reaches
    ]
    return sorted(links, key=lambda link: (-len(link.registered), link.vendor, link.dependency))
