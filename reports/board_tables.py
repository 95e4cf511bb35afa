"""The board report's appendix tables and the exposure-versus-blast-radius comparison."""

from __future__ import annotations

from dataclasses import dataclass

from reports.metrics import BoardMetrics
from reports.render import _hours, _pct
from reports.tables import Column, Table, table

COMPARE_ROWS = 5


@dataclass(frozen=True)
class Comparison:
    """Exposure ranking and blast radius side by side, and why they differ when they do."""

    rows: tuple[tuple[str, str, str, str], ...]  # (E vendor, E, B vendor, B)
    note: str


def exposure_table(m: BoardMetrics, top: int) -> Table:
    """Exposure pressure E and the terms beside it, top rows."""
    cols = (
        Column("#", 4, True, True),
        Column("Vendor", 16, keep=True),
        Column("E", 9, True, True),
        Column("Detection latency", 18),
        Column("Width", 7, True),
        Column("Privilege", 9, True),
        Column("Binding", 8, True),
        Column("Revocation latency", 18),
        Column("B", 7, True, True),
    )
    rows = [
        (
            str(n),
            e.vendor,
            f"{e.pressure:,.0f}",
            f"{_hours(e.detection_hours)}, {e.detection_basis}",
            str(e.trust_width),
            str(e.privilege_weight),
            f"{e.binding_strictness:.1f}",
            f"{_hours(e.revocation_hours)}, {e.revocation_basis}",
            _pct(e.blast_radius, 0),
        )
        for n, e in enumerate(m.exposure[:top], 1)
    ]
    return table(cols, rows)


def blast_table(m: BoardMetrics, top: int) -> Table:
    """Blast radius per vendor, largest first, in today's registry (as the exposure ranking beside it)."""
    cols = (
        Column("Vendor", 34, keep=True),
        Column("Exposed dependencies", 22, True, True),
        Column("Blast radius B", 22, True, True),
        Column("Users share", 22, True),
    )
    ranked = sorted(m.exposure, key=lambda e: (-e.blast_radius, e.vendor))[:top]
    total = m.registry_today.total_deps
    rows = [(e.vendor, f"{e.exposed_deps} / {total}", _pct(e.blast_radius), _pct(e.users_share)) for e in ranked]
    return table(cols, rows)


def concentration_table(m: BoardMetrics, top: int) -> Table:
    """Each vendor's share of dependencies, critical dependencies and users."""
    cols = (
        Column("Vendor", 22, keep=True),
        Column("Category", 20),
        Column("Criticality", 12),
        Column("Deps", 8, True),
        Column("Critical", 10, True),
        Column("Critical share", 14, True, True),
        Column("Users share", 14, True, True),
    )
    rows = [
        (
            s.vendor,
            s.category,
            s.criticality,
            str(s.deps),
            str(s.critical_deps),
            _pct(s.critical_share),
            _pct(s.users_share),
        )
        for s in m.concentration.shares[:top]
    ]
    return table(cols, rows)


def comparison(m: BoardMetrics) -> Comparison:
    """Top vendors by E beside top vendors by B (today's registry); the note explains a disagreement at the top."""
    by_e = m.exposure[:COMPARE_ROWS]
    by_b = sorted(m.exposure, key=lambda e: (-e.blast_radius, e.vendor))[:COMPARE_ROWS]
    rows = tuple(
        (e.vendor, f"{e.pressure:,.0f}", b.vendor, _pct(b.blast_radius, 0)) for e, b in zip(by_e, by_b, strict=True)
    )
    if not rows or by_e[0].vendor == by_b[0].vendor:
        return Comparison(rows, "Both measures put the same vendor first." if rows else "")
    e, b = by_e[0], by_b[0]
    note = (
        f"They disagree because they measure different things. {e.vendor} ranks first on exposure pressure: "
        f"we would learn of its breach late ({_hours(e.detection_hours)}, {e.detection_basis}), its access is wide "
        f"(trust width {e.trust_width}) and deep (privilege {e.privilege_weight}), so an attacker holds the most "
        f"for longest. {b.vendor} ranks first on blast radius: its breach reaches the most of our dependencies "
        f"({b.exposed_deps} of {m.registry_today.total_deps}), so the clean-up is largest. Act on both: faster "
        f"detection and tighter tokens for the first, fewer connected systems or a fallback for the second."
    )
    return Comparison(rows, note)
