"""Clustering: follow-ups weeks later fold in; a new incident months later opens a new one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.triage.conftest import news
from vendorwatch.triage import IncidentSnapshot, VendorIndex, choose_incident, classify, signature_of

T0 = datetime(2030, 3, 1, tzinfo=UTC)


def opened_by(index: VendorIndex) -> IncidentSnapshot:
    first = news("Okta says attackers reached its support system", "The Lapsus$ gang posted screenshots.", published=T0)
    t = classify(first, index)
    return IncidentSnapshot(41, 1, t.kind, T0, T0 + timedelta(days=2), signature_of(first, t))


def test_root_cause_report_weeks_later_joins(index: VendorIndex) -> None:
    inc = opened_by(index)
    later = news(
        "Okta concludes its investigation into the compromise",
        "Tokens of 2 tenants were exposed.",
        published=T0 + timedelta(days=28),
    )
    assert choose_incident(classify(later, index), 1, later, [inc]) == 41


def test_new_incident_months_later_opens_a_new_one(index: VendorIndex) -> None:
    inc = opened_by(index)
    later = news("Okta source code stolen from its repositories", "", published=T0 + timedelta(days=270))
    assert choose_incident(classify(later, index), 1, later, [inc]) is None


def test_other_vendors_incidents_are_never_joined(index: VendorIndex) -> None:
    inc = opened_by(index)
    item = news("Box hacked", "An intruder accessed customer data.", published=T0 + timedelta(days=1))
    assert choose_incident(classify(item, index), 3, item, [inc]) is None


def test_different_cves_of_one_vendor_stay_apart(index: VendorIndex) -> None:
    a = news("Ping Identity zero-day CVE-2030-0001 exploited", "", published=T0)
    ta = classify(a, index)
    inc = IncidentSnapshot(7, 11, ta.kind, T0, T0, signature_of(a, ta))
    b = news("Ping Identity zero-day CVE-2030-0999 exploited", "", published=T0 + timedelta(days=20))
    assert choose_incident(classify(b, index), 11, b, [inc]) is None
    c = news(
        "CISA orders agencies to patch CVE-2030-0001 in Ping Identity",
        "Exploited in the wild.",
        published=T0 + timedelta(days=90),
    )
    assert choose_incident(classify(c, index), 11, c, [inc]) == 7
