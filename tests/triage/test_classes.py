"""Classes of text (who did what to whom), each spec written from invented sentences of that class."""

from __future__ import annotations

import pytest

from tests.triage.conftest import news
from vendorwatch.triage import Triage, VendorIndex, classify


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
