"""Classification: kind, subject vs referenced vendor, and the evidence recorded."""

from __future__ import annotations

from tests.triage.conftest import news
from vendorwatch.triage import VendorIndex, classify, should_alert


def roles(index: VendorIndex, t) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {index.name_of(s.vendor_id): s.role for s in t.subjects}


def test_hacked_vendor_is_subject_and_source_of_tokens_is_referenced(index: VendorIndex) -> None:
    t = classify(news("Cloudflare hacked with tokens stolen in the Okta attack"), index)
    assert t.kind in ("breach", "credential-exposure")
    assert roles(index, t) == {"Cloudflare": "subject", "Okta": "referenced"}
    assert any("Cloudflare" in e and "hacked" in e for e in t.evidence)


def test_several_victims_named_together_are_all_subjects(index: VendorIndex) -> None:
    t = classify(news("GitHub says stolen Heroku and Travis CI OAuth tokens were used to raid private repos"), index)
    assert roles(index, t) == {"GitHub": "referenced", "Heroku": "subject", "Travis CI": "subject"}


def test_vendor_own_feed_about_itself_is_strong_evidence(index: VendorIndex) -> None:
    item = news(
        "Security update on our support systems",
        "An attacker gained access to our customer support system and viewed files uploaded by customers.",
        source_id="okta-blog",
        publisher_vendor="Okta",
        trust="vendor",
    )
    t = classify(item, index)
    assert t.kind == "breach" and roles(index, t) == {"Okta": "subject"}
    assert should_alert(t, t.subjects[0])[0]


def test_marketing_is_not_an_incident(index: VendorIndex) -> None:
    t = classify(news("Zoom adds a calendar app", "At its conference Zoom previewed new features."), index)
    assert (t.kind, t.not_incident_reason) == ("not-incident", "product-news")


def test_layoffs_are_earnings_news(index: VendorIndex) -> None:
    t = classify(news("Box to cut 10% of its workforce", "The company reported lower revenue."), index)
    assert (t.kind, t.not_incident_reason) == ("not-incident", "earnings")


def test_phishing_kit_impersonating_a_brand_does_not_make_it_the_victim(index: VendorIndex) -> None:
    t = classify(
        news("Fake Slack login pages steal passwords", "Look-alike sites impersonating Slack harvest logins."), index
    )
    assert t.kind == "not-incident" and t.not_incident_reason == "phishing-impersonation"
    assert all(not should_alert(t, s)[0] for s in t.subjects)


def test_explicit_denial_wins(index: VendorIndex) -> None:
    t = classify(news("Blogger's Box folder leaked after phishing", "Box itself was not hacked."), index)
    assert all(s.role == "referenced" for s in t.subjects)


def test_trend_piece_naming_services_is_not_an_incident(index: VendorIndex) -> None:
    item = news(
        "Infostealers fuel account takeovers",
        "Cookies for tools such as Slack and GitHub are sold in bulk "
        "on markets. The services themselves were not compromised.",
    )
    t = classify(item, index)
    assert t.kind == "not-incident"


def test_exploited_vulnerability_and_plain_advisory(index: VendorIndex) -> None:
    hot = classify(
        news("Zero-day in Ping Identity gateway exploited in attacks", "CVE-2030-1111 is under active exploitation."),
        index,
    )
    cold = classify(news("Ping Identity patches flaw", "CVE-2030-2222; the vendor knows of no exploitation."), index)
    assert hot.kind == "exploited-vuln" and should_alert(hot, hot.subjects[0])[0]
    assert cold.kind == "vuln-advisory" and not should_alert(cold, cold.subjects[0])[0]


def test_negated_phrases_are_not_evidence(index: VendorIndex) -> None:
    t = classify(news("Slack outage resolved", "There was no unauthorized access; it was not a cyberattack."), index)
    assert t.kind == "outage"
