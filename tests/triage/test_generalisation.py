"""General rules: negated/hypothetical exploitation, publisher as subject, follow-ups, kind compatibility."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.triage.conftest import news
from vendorwatch.triage import (
    IncidentSnapshot,
    VendorIndex,
    choose_incident,
    classify,
    is_follow_up,
    should_alert,
    signature_of,
)

T0 = datetime(2031, 5, 4, tzinfo=UTC)


@pytest.mark.parametrize(
    ("title", "summary"),
    [
        ("Ping Identity fixes login flaw; exploitation not observed", "The bug is rated high."),
        ("Ping Identity patches flaw", "The vendor has no evidence of exploitation in the wild."),
        ("Ping Identity patches flaw", "The firm is not aware of active exploitation."),
        ("Ping Identity patches flaw", "Exploitation of the flaw has not been detected so far."),
        ("Ping Identity patches flaw", "A remote attacker could exploit it to take over a server."),
        ("Ping Identity patches flaw", "If exploited, the bug may allow remote code execution."),
        ("Ping Identity patches flaw", "Successful exploitation could let an intruder read memory."),
    ],
)
def test_negated_or_hypothetical_exploitation_is_an_advisory(index: VendorIndex, title: str, summary: str) -> None:
    t = classify(news(title, summary), index)
    assert t.kind == "vuln-advisory"
    assert not should_alert(t, t.subjects[0])[0]


@pytest.mark.parametrize(
    "summary",
    [
        "The flaw is being actively exploited, the vendor says.",
        "CISA added the bug to its KEV catalog after exploitation in the wild.",
        "Attackers are exploiting the bug against exposed servers.",
    ],
)
def test_affirmative_exploitation_is_exploited(index: VendorIndex, summary: str) -> None:
    t = classify(news("Ping Identity patches flaw", summary), index)
    assert t.kind == "exploited-vuln"


def test_vendor_feed_incident_without_naming_itself_has_the_publisher_as_subject(index: VendorIndex) -> None:
    item = news(
        "Investigation update: scope of the access widened",
        "The intruder's queries reached the billing records of every tenant; 40,000 accounts were affected.",
        source_id="cloudflare-blog",
        publisher_vendor="Cloudflare",
        trust="vendor",
    )
    t = classify(item, index)
    assert t.kind in ("breach", "credential-exposure")
    assert t.subject_ids() == (2,)


def _incident(index: VendorIndex, vendor_id: int, title: str, summary: str) -> IncidentSnapshot:
    first = news(title, summary, published=T0)
    t = classify(first, index)
    return IncidentSnapshot(90 + vendor_id, vendor_id, t.kind, T0, T0 + timedelta(days=1), signature_of(first, t))


def test_product_change_that_refers_back_follows_up_without_alerting(index: VendorIndex) -> None:
    inc = _incident(index, 6, "Heroku hacked: attackers stole OAuth tokens", "Heroku revoked all tokens.")
    later = news(
        "Heroku will require hardware keys for staff",
        "The change comes in the wake of last month's intrusion into its token store.",
        published=T0 + timedelta(days=12),
    )
    t = classify(later, index)
    assert is_follow_up(later, t, inc)
    assert not any(should_alert(t, s)[0] for s in t.subjects if t.kind == "not-incident")


def test_unrelated_product_news_is_not_a_follow_up(index: VendorIndex) -> None:
    inc = _incident(index, 6, "Heroku hacked: attackers stole OAuth tokens", "Heroku revoked all tokens.")
    later = news("Heroku launches a new dashboard", "Heroku introduces dark mode.", published=T0 + timedelta(days=5))
    assert not is_follow_up(later, classify(later, index), inc)


def test_vendor_feed_update_follows_up_its_own_incident(index: VendorIndex) -> None:
    inc = _incident(index, 2, "Cloudflare says an intruder accessed its wiki", "Cloudflare rotated credentials.")
    later = news(
        "Update on our investigation",
        "We have finished reviewing logs with outside responders.",
        source_id="cloudflare-blog",
        publisher_vendor="Cloudflare",
        trust="vendor",
        published=T0 + timedelta(days=6),
    )
    assert is_follow_up(later, classify(later, index), inc, publisher_id=2)


def test_outage_never_folds_into_a_breach_and_breach_never_into_an_outage(index: VendorIndex) -> None:
    breach = _incident(index, 8, "GitHub says attackers stole source code", "An intruder cloned repositories.")
    outage = news(
        "GitHub outage: webhooks delayed", "Service disruption for webhooks.", published=T0 + timedelta(days=2)
    )
    assert choose_incident(classify(outage, index), 8, outage, [breach]) is None
    down = _incident(index, 8, "GitHub outage: Actions degraded", "Jobs are delayed.")
    report = news("GitHub hacked", "Attackers stole source code from private repos.", published=T0 + timedelta(days=1))
    assert choose_incident(classify(report, index), 8, report, [down]) is None
    follow = news("GitHub: more repositories were cloned", "", published=T0 + timedelta(days=3))
    assert choose_incident(classify(follow, index), 8, follow, [breach]) == breach.id


def test_a_product_named_workforce_is_not_an_earnings_story(index: VendorIndex) -> None:
    verdict = classify(
        news(
            "Okta Workforce Identity customers' support files accessed by attackers",
            "Attackers used a stolen credential to access support case files of Okta Workforce Identity customers.",
        ),
        index,
    )
    assert verdict.kind in ("breach", "credential-exposure")
    assert not any("earnings" in line for line in verdict.evidence)
