"""Classes of text (who did what to whom), each spec written from invented sentences of that class."""

from __future__ import annotations

import pytest

from tests.triage.conftest import news
from vendorwatch.triage import ItemText, Triage, VendorIndex, classify


def _role(t: Triage, vendor_id: int) -> tuple[str, bool]:
    s = next(s for s in t.subjects if s.vendor_id == vendor_id)
    return s.role, s.continues_story


@pytest.mark.parametrize(
    "summary",
    [
        "Intruders copied Heroku code; Okta (Workforce Identity) was not involved.",
        "Intruders copied Heroku code, and Okta systems were not affected.",
        "Intruders copied Heroku code. Okta itself was never breached.",
    ],
)
def test_class_denial_a_vendor_said_to_be_unaffected_is_not_its_story(index: VendorIndex, summary: str) -> None:
    t = classify(news("Heroku source code stolen", summary), index)
    assert _role(t, 1) == ("referenced", False)


@pytest.mark.parametrize(
    ("title", "summary"),
    [
        ("Intruders used tokens stolen in the Okta breach to reach a retailer", ""),
        ("A retailer says attackers reused credentials taken from Okta", ""),
    ],
)
def test_class_story_link_naming_a_vendors_incident_continues_it(index: VendorIndex, title: str, summary: str) -> None:
    assert classify(news(title, summary), index).subjects[0].continues_story


@pytest.mark.parametrize(
    "summary",
    [
        "The attacker announced the breach on the company's Slack.",
        "Okta alerted us to the activity; its GitHub repositories are private.",
    ],
)
def test_class_owner_or_channel_named_in_passing_is_not_the_story(index: VendorIndex, summary: str) -> None:
    t = classify(news("A retailer says a hacker breached a contractor's account", summary), index)
    assert not any(s.continues_story for s in t.subjects if s.role == "referenced")


@pytest.mark.parametrize(
    ("title", "summary"),
    [
        ("Ping Identity says failed logins came from password spraying, not a breach", "Bots replayed old pairs."),
        ("Okta: the odd sign-in emails were a mail bug, not a hack", "Attackers were not involved."),
    ],
)
def test_class_denial_not_a_breach(index: VendorIndex, title: str, summary: str) -> None:
    t = classify(news(title, summary), index)
    assert t.kind == "not-incident"


@pytest.mark.parametrize(
    ("title", "summary"),
    [
        ("June Patch Tuesday: Zoom and Okta fix 41 flaws, two exploited as zero-days", "Updates cover clients."),
        ("Ping Identity patches 12 vulnerabilities, one exploited in attacks", "The monthly bulletin lists them."),
        ("Security roundup: Okta zero-day, a GitHub token leak and more", "Our weekly picks."),
    ],
)
def test_class_roundup_of_many_flaws_or_stories_is_no_incident(index: VendorIndex, title: str, summary: str) -> None:
    t = classify(news(title, summary), index)
    assert (t.kind, t.not_incident_reason) == ("not-incident", "roundup")
    assert any("class: a roundup" in e for e in t.evidence)


@pytest.mark.parametrize(
    ("title", "summary"),
    [
        ("Inside Okta's response to its 2029 support-system breach", "Engineers recount the first week."),
        ("Two years after the Heroku token theft: what changed", "Lessons for CI owners."),
        ("What the GitHub breach taught us", "A look back at the lessons learned."),
    ],
)
def test_class_retrospective_essay_is_no_new_incident(index: VendorIndex, title: str, summary: str) -> None:
    t = classify(news(title, summary), index)
    assert (t.kind, t.not_incident_reason) == ("not-incident", "retrospective")


@pytest.mark.parametrize(
    ("title", "summary"),
    [
        ("Okta staff payroll data exposed at a payroll provider", "An intruder stole files from the processor."),
        ("Third-party breach leaks Cloudflare employee records", "Attackers reached the insurer's portal."),
    ],
)
def test_class_staff_data_leaked_at_a_provider_is_not_the_vendors_breach(
    index: VendorIndex, title: str, summary: str
) -> None:
    t = classify(news(title, summary), index)
    assert (t.kind, t.not_incident_reason) == ("not-incident", "third-party-staff-data")


def test_a_third_party_breach_of_customer_data_is_still_the_vendors(index: VendorIndex) -> None:
    t = classify(news("Okta says hackers stole customer data from a third-party support provider"), index)
    assert t.kind == "breach" and t.subject_ids() == (1,)


@pytest.mark.parametrize(
    ("title", "summary"),
    [
        ("Chat platform reports a second intrusion this year", "Okta said the intruder used what was taken in May."),
        ("Identity firm tells customers to rotate keys after cloud account intrusion", "Okta said someone got in."),
    ],
)
def test_class_default_subject_the_only_vendor_of_an_incident_report(
    index: VendorIndex, title: str, summary: str
) -> None:
    t = classify(news(title, summary), index)
    assert t.subject_ids() == (1,)
    assert any("class: default subject" in e for e in t.evidence)


def test_default_subject_needs_a_lone_vendor_in_no_other_role(index: VendorIndex) -> None:
    two = classify(news("Retailer reports an intrusion", "Okta said so; Cloudflare said the same."), index)
    owned = classify(news("Retailer reports an intrusion", "The attacker posted on its Okta dashboard."), index)
    assert two.subject_ids() == () and owned.subject_ids() == ()


def _own(title: str, summary: str) -> ItemText:
    return news(title, summary, source_id="okta-blog", publisher_vendor="Okta", trust="vendor")


@pytest.mark.parametrize(
    ("title", "summary"),
    [
        ("Replacing our SSH host key", "We replaced our SSH host key after it was briefly exposed in a public repo."),
        ("Signing certificate rotated", "We rotated the signing certificate used for our desktop app."),
        ("API keys reset", "As a precaution we have reset all API keys; create a new key in the console."),
    ],
)
def test_class_quiet_rotation_on_the_vendors_own_feed_is_a_credential_exposure(
    index: VendorIndex, title: str, summary: str
) -> None:
    t = classify(_own(title, summary), index)
    assert (t.kind, t.subject_ids()) == ("credential-exposure", (1,))
    assert any("class: on its own feed the vendor says it rotated" in e for e in t.evidence)


def test_rotation_told_by_a_news_outlet_or_as_advice_is_no_exposure(index: VendorIndex) -> None:
    assert classify(news("Cloudflare rotated its signing certificate", "Routine."), index).kind == "not-incident"
    assert classify(_own("Key hygiene", "Rotate your API keys every 90 days."), index).kind == "not-incident"


def test_own_feed_incident_told_with_its_phishing_vector_is_a_breach(index: VendorIndex) -> None:
    t = classify(
        _own("Incident details", "A spear-phishing campaign let an actor that had reached our build system."), index
    )
    assert t.kind == "breach"


def test_shared_negation_and_hedge_lists_are_one() -> None:
    from vendorwatch.assessments import lexicon as assessment_lexicon
    from vendorwatch.triage import cues

    assert assessment_lexicon.NEGATION is cues.NEGATION and assessment_lexicon.HEDGE is cues.HEDGE
    assert cues.NEGATION.search("has yet to find") and not cues.NEGATION.search("not only tokens")


@pytest.mark.parametrize(
    ("title", "summary"),
    [
        ("Cloudflare revokes tokens for Heroku's connected apps after suspicious activity", ""),
        ("GitHub expires every OAuth token held by Travis CI users", "GitHub says the tokens were abused."),
        ("Okta switches off old API keys used by Drift integrations", ""),
    ],
)
def test_class_a_platform_acts_against_an_integration(index: VendorIndex, title: str, summary: str) -> None:
    t = classify(news(title, summary), index)
    actor = t.subjects[0].vendor_id if "revokes" in title else None
    victims = t.subject_ids()
    assert t.kind == "credential-exposure" and len(victims) == 1
    assert actor is None or actor not in victims
    assert classify(news(title, summary), index).subjects  # every vendor named is listed with a role


def test_platform_revoking_another_vendors_tokens_keeps_the_platform_referenced(index: VendorIndex) -> None:
    t = classify(news("Cloudflare revokes tokens for Heroku's connected apps after suspicious activity"), index)
    assert dict((s.vendor_id, s.role) for s in t.subjects) == {2: "referenced", 6: "subject"}


@pytest.mark.parametrize(
    "title",
    [
        "Hackers took OAuth tokens from Heroku to raid customer instances",
        "Attackers stole session cookies from Okta to reach retailers' dashboards",
    ],
)
def test_class_stolen_from_a_to_reach_b(index: VendorIndex, title: str) -> None:
    t = classify(news(title), index)
    assert t.kind in ("breach", "credential-exposure") and len(t.subject_ids()) == 1


def test_class_customers_own_post_about_a_breach_caused_by_a_vendors_earlier_one(index: VendorIndex) -> None:
    item = news(
        "Security notice",
        "An attacker reached our wiki with credentials taken in the October Okta compromise.",
        source_id="cloudflare-blog",
        publisher_vendor="Cloudflare",
        trust="vendor",
    )
    t = classify(item, index)
    assert 2 in t.subject_ids()
    okta = next(s for s in t.subjects if s.vendor_id == 1)
    assert okta.names_incident and okta.continues_story


@pytest.mark.parametrize(
    ("title", "summary"),
    [
        ("Attackers shipped trojanized Zoom installers for weeks", "Zoom said builds were tampered with."),
        ("Tampered deploy script sent CI secrets to attackers", "Travis CI says its uploader was altered."),
        ("Spies slipped a backdoor into monitoring updates", "Travis CI said tainted releases went out."),
    ],
)
def test_class_supply_chain_tampering_is_a_breach_of_the_shipper(index: VendorIndex, title: str, summary: str) -> None:
    t = classify(news(title, summary), index)
    assert t.kind == "breach" and len(t.subject_ids()) == 1


def test_a_finder_of_tainted_software_is_not_the_shipper(index: VendorIndex) -> None:
    t = classify(news("Cloudflare finds tainted Zoom software on lab machines", "It removed the copies."), index)
    assert dict((s.vendor_id, s.role) for s in t.subjects)[9] == "subject"
    assert 2 not in t.subject_ids()


def test_class_a_vendor_reports_the_attack_on_its_own_service(index: VendorIndex) -> None:
    t = classify(
        news("Gang used a zero-day against a hosted provider", "Okta says the attack on its mail service used it."),
        index,
    )
    assert t.subject_ids() == (1,)


def test_class_ransomware_hitting_a_vendor_is_a_breach(index: VendorIndex) -> None:
    assert classify(news("Ransomware knocked out Zoom's hosted email"), index).kind == "breach"
    assert classify(news("Ransomware gangs increasingly target schools"), index).kind == "not-incident"


def test_revoking_its_own_tokens_for_a_platform_integration_keeps_the_platform_referenced(
    index: VendorIndex,
) -> None:
    t = classify(
        news(
            "Hackers steal data with stolen Drift tokens",
            "Drift says it has revoked all tokens for the Okta integration. "
            "Okta says its platform was not compromised.",
        ),
        index,
    )
    assert 1 not in t.subject_ids() and 5 in t.subject_ids()


def test_default_subject_needs_the_vendor_as_agent_or_instrument_not_a_bare_mention(index: VendorIndex) -> None:
    bare = classify(news("Retailer hacked; attackers stole data from Okta-protected accounts"), index)
    through = classify(news("What an outside party reached through the Okta support portal"), index)
    assert bare.subject_ids() == ()
    assert through.kind == "breach" and through.subject_ids() == (1,)


def test_customer_post_names_the_earlier_vendor_as_background_not_a_second_victim(index: VendorIndex) -> None:
    item = news(
        "Security update",
        "An attacker reached our wiki with credentials taken in the October Okta compromise.",
        source_id="cloudflare-blog",
        publisher_vendor="Cloudflare",
        trust="vendor",
    )
    t = classify(item, index)
    assert t.subject_ids() == (2,)
    assert _role(t, 1) == ("referenced", True)  # joins Okta's incident as a follow-up, without a new alert


@pytest.mark.parametrize(
    ("title", "summary"),
    [
        ("Cloudflare blocks a record 20 Tbps DDoS attack", "The botnet of compromised devices hit a customer."),
        ("Cloudflare mitigated the largest denial-of-service attack yet", "Hackers used compromised routers."),
    ],
)
def test_class_defence_story_a_vendor_blocking_a_ddos_is_no_breach(
    index: VendorIndex, title: str, summary: str
) -> None:
    assert classify(news(title, summary), index).kind == "not-incident"


def test_class_legal_aftermath_of_a_long_past_breach_is_no_new_incident(index: VendorIndex) -> None:
    old = classify(news("Court approves settlement over Okta's 2019 data breach", "Claims up to $100."), index)
    fresh = classify(news("Customers sue Okta after hackers stole their data", "Attackers got in last week."), index)
    assert (old.kind, old.not_incident_reason) == ("not-incident", "legal-aftermath")
    assert fresh.kind == "breach"
