"""The exposure model on plain facts: figures compared with hand-computed ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from reports.concentration import concentration, hhi, hhi_band
from reports.exposure import DEFAULT_DETECTION_HOURS, rank_exposure
from reports.facts import DepFacts, IncidentFacts, TaskFacts, VendorFacts

T0 = datetime(2026, 10, 1, tzinfo=UTC)


def dep(
    i: int, vendor: int, binding: str, scope: str, width: int, reaches: tuple[str, ...] = (), sla_h: int = 4
) -> DepFacts:
    return DepFacts(
        i,
        vendor,
        f"d{i}",
        "sso",
        token_binding=binding,
        privilege_scope=scope,
        trust_width=width,
        reaches=reaches,
        revocation_sla_s=sla_h * 3600,
    )


VENDORS = [
    VendorFacts(
        1,
        "IdP",
        "identity-provider",
        "critical",
        users=1000,
        deps=(dep(1, 1, "none", "write", 20, ("CI",)), dep(2, 1, "device", "admin", 5)),
    ),
    VendorFacts(2, "CI", "ci-cd", "high", users=200, deps=(dep(3, 2, "network", "write", 4, sla_h=12),)),
    VendorFacts(3, "Wiki", "saas", "low", users=500, deps=(dep(4, 3, "device", "read", 1),)),
]


def incident(iid: int, vendor: int, detect_h: float | None, closed_h: float | None, due_h: float = 24) -> IncidentFacts:
    alert = T0 + timedelta(days=iid)
    closed = None if closed_h is None else alert + timedelta(hours=closed_h)
    status = "open" if closed is None else "done"
    task = TaskFacts(iid, iid, vendor, "rotate", "iam", "rotate", status, alert, alert + timedelta(hours=due_h), closed)
    disclosed = None if detect_h is None else alert - timedelta(hours=detect_h)
    return IncidentFacts(iid, vendor, "x", "t", "breach", "high", "open", alert, disclosed, alert, (task,))


def test_exposure_pressure_blast_radius_and_terms() -> None:
    incidents = [incident(1, 1, 2, 30), incident(2, 1, 6, 10), incident(3, 2, 5, None, due_h=12)]
    idp, ci, wiki = rank_exposure(VENDORS, incidents)
    # IdP: median detect (2, 6) = 4 h; width 20 + 5 = 25; admin = 3 -> E = 300. Loosest binding: none = 1.0.
    assert (idp.vendor, idp.detection_hours, idp.trust_width, idp.privilege_weight, idp.pressure) == (
        "IdP",
        4.0,
        25,
        3,
        300.0,
    )
    assert (idp.binding_strictness, idp.revocation_hours, idp.revocation_basis) == (1.0, 20.0, "measured")
    # It reaches CI, so CI's dependency is exposed too: 3 of 4.
    assert (idp.exposed_deps, idp.blast_radius, idp.users_share) == (3, 0.75, 1.0)
    # CI: 5 h x 4 x write 2 = 40; its incident is still open, so revocation is the 12 h SLA.
    assert (ci.pressure, ci.binding_strictness, ci.revocation_hours, ci.revocation_basis) == (
        40.0,
        0.5,
        12.0,
        "SLA (open)",
    )
    # Wiki never had an incident: the stated default detection latency, its own SLA for revocation.
    assert (wiki.detection_hours, wiki.detection_basis, wiki.pressure) == (DEFAULT_DETECTION_HOURS, "default", 24.0)
    assert (wiki.revocation_hours, wiki.revocation_basis, wiki.blast_radius, wiki.users_share) == (
        4.0,
        "SLA (no incident)",
        0.25,
        0.5,
    )


def test_concentration_hhi_spof_and_critical_shares() -> None:
    c = concentration(VENDORS)
    # Dependency shares 2/4, 1/4, 1/4 -> 2500 + 625 + 625.
    assert (c.hhi, c.hhi_band, c.total_critical) == (3750, "highly concentrated", 2)
    assert [(s.vendor, s.critical_share) for s in c.shares][:1] == [("IdP", 1.0)]
    assert [s.vendor for s in c.single_points] == ["IdP"]
    assert [(link.vendor, link.registered) for link in c.fourth_party] == [("IdP", ("CI",))]


def test_hhi_bands() -> None:
    assert hhi([0.1] * 10) == 1000 and hhi_band(999) == "unconcentrated"
    assert (hhi_band(1000), hhi_band(1801), hhi([1.0])) == ("moderately concentrated", "highly concentrated", 10000)
