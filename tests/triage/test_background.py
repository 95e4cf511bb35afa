"""A vendor named only as the origin of stolen material or as a past incident is referenced, not the subject."""

from __future__ import annotations

import pytest

from tests.triage.conftest import news
from vendorwatch.triage import Triage, VendorIndex, classify, should_alert

CLOUDFLARE_TITLE = "Cloudflare hacked with tokens stolen in the Okta attack"


def roles(index: VendorIndex, t: Triage) -> dict[str, str]:
    return {index.name_of(s.vendor_id): s.role for s in t.subjects}


def alerting(index: VendorIndex, t: Triage) -> set[str]:
    return {index.name_of(s.vendor_id) for s in t.subjects if should_alert(t, s)[0]}


@pytest.mark.parametrize(
    "summary",
    [
        "Cloudflare said an attacker used an access token and service account credentials that were not "
        "rotated after the Okta compromise last October to reach its internal wiki and bug database.",
        "The intruder reused credentials harvested in the wake of Okta's incident to reach the company's wiki.",
        "Investigators say the access is linked to the Okta hack; Okta customers were urged to rotate secrets.",
        "A token that leaked in the breach at Okta last year had never been revoked, the company said.",
        "Cloudflare was breached using a service token exposed in a previous Okta incident.",
    ],
)
def test_title_roles_dominate_summary_mentions_of_the_source(index: VendorIndex, summary: str) -> None:
    t = classify(news(CLOUDFLARE_TITLE, summary), index)
    assert t.kind in ("breach", "credential-exposure")
    assert roles(index, t) == {"Cloudflare": "subject", "Okta": "referenced"}
    assert alerting(index, t) == {"Cloudflare"}
    assert any("Okta referenced" in line and "origin" in line for line in t.evidence)


@pytest.mark.parametrize(
    ("title", "summary"),
    [
        (
            "Cloudflare breached using Okta-era credentials",
            "Service account credentials from the Okta breach were never rotated, the company said.",
        ),
        (
            "Cloudflare intrusion traced to tokens from the Okta breach",
            "An attacker used the tokens to access internal systems and source code.",
        ),
        (
            "Cloudflare says attackers accessed its internal wiki",
            "The intruders used credentials that were not rotated after Okta's breach in 2023.",
        ),
        (
            "Cloudflare hacked: source code repositories accessed",
            "The attacker held a token exposed months ago in an Okta security incident.",
        ),
    ],
)
def test_past_or_source_incident_of_another_vendor_is_only_referenced(
    index: VendorIndex, title: str, summary: str
) -> None:
    t = classify(news(title, summary), index)
    assert roles(index, t) == {"Cloudflare": "subject", "Okta": "referenced"}
    assert alerting(index, t) == {"Cloudflare"}


def test_several_victims_in_the_title_stay_subjects(index: VendorIndex) -> None:
    t = classify(
        news(
            "Stolen OAuth tokens issued to Heroku and Travis CI used to raid GitHub repos",
            "Attackers downloaded data from dozens of organisations using OAuth tokens stolen from Heroku and "
            "Travis CI; GitHub itself was not hacked.",
        ),
        index,
    )
    assert roles(index, t) == {"GitHub": "referenced", "Heroku": "subject", "Travis CI": "subject"}


def test_data_stolen_in_a_vendor_breach_with_no_other_victim_keeps_that_vendor(index: VendorIndex) -> None:
    t = classify(
        news("Data stolen in the Okta breach offered for sale", "Hackers copied customer records from Okta."), index
    )
    assert roles(index, t) == {"Okta": "subject"}


@pytest.mark.parametrize(
    ("title", "summary"),
    [
        (
            "New details emerge on last month's Okta breach",
            "Attackers accessed the support system with a stolen service account credential.",
        ),
        (
            "Root cause of the identity provider intrusion published",
            "Investigators said the Okta breach last October began with a stolen credential.",
        ),
    ],
)
def test_a_report_about_the_past_incident_itself_keeps_its_vendor_as_subject(
    index: VendorIndex, title: str, summary: str
) -> None:
    # Follow-ups and root-cause reports name the vendor's incident in the past but are about it.
    t = classify(news(title, summary), index)
    assert roles(index, t) == {"Okta": "subject"}


@pytest.mark.parametrize(
    ("title", "summary", "expected"),
    [
        (
            "Slack breached with tokens stolen during the Heroku hack",
            "Slack said the intruders used OAuth tokens taken in the Heroku hack earlier this year.",
            {"Slack": "subject", "Heroku": "referenced"},
        ),
        (
            "Credentials from last year's Travis CI leak used to hack Slack",
            "Slack said attackers logged in with keys exposed in the Travis CI incident.",
            {"Slack": "subject", "Travis CI": "referenced"},
        ),
        (
            "Box confirms breach; attackers used passwords from the 2022 Slack incident",
            "Box said an intruder accessed customer files.",
            {"Box": "subject", "Slack": "referenced"},
        ),
    ],
)
def test_the_rules_are_not_tied_to_one_pair_of_vendors(
    index: VendorIndex, title: str, summary: str, expected: dict[str, str]
) -> None:
    t = classify(news(title, summary), index)
    assert roles(index, t) == expected
    assert alerting(index, t) == {name for name, role in expected.items() if role == "subject"}
