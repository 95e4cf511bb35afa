"""Specs: the change-trigger lexicons are general rules (no database)."""

from __future__ import annotations

import pytest

from vendorwatch.assessments.facts import ItemFact
from vendorwatch.assessments.triggers import detect, detect_watched


def fact(text: str, trust: str = "news", role: str = "follow-up") -> ItemFact:
    return ItemFact(7, "src", trust, None, text, "", "https://x.example", "breach", 0.9, (), role)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("Acme now says all of its enterprise customers were affected", "scope-expansion"),
        ("The breach is larger than initially reported", "scope-expansion"),
        ("Attackers stole data of more users than first disclosed", "scope-expansion"),
        ("Additional tenants were affected, the company said", "scope-expansion"),
        ("Attackers used the stolen tokens to access customer tenants", "confirmed-abuse"),
        ("Session cookies were replayed against three customers", "confirmed-abuse"),
        ("Acme concluded its investigation into the intrusion", "root-cause"),
        ("Root cause: an engineer's laptop infected by an infostealer", "root-cause"),
        ("Globex says its breach was traced to keys stolen in the Acme incident", "downstream-victim"),
        ("Payroll data exposed as a result of the Acme breach, Initech says", "downstream-victim"),
    ],
)
def test_material_developments_fire(text: str, trigger: str) -> None:
    assert trigger in {f.trigger for f in detect(fact(text), ("Acme",), other_subject=False)}


@pytest.mark.parametrize(
    "text",
    [
        "Acme says all affected customers have been notified",
        "Acme breach: what we know so far",
        "Hackers used a stolen credential to access Acme's support system",
        "Acme confirmed the incident on Friday",
    ],
)
def test_repeats_of_the_story_fire_nothing(text: str) -> None:
    assert detect(fact(text), ("Acme",), other_subject=False) == []


def test_another_registry_vendor_as_subject_is_a_downstream_victim() -> None:
    fired = detect(fact("Globex discloses intrusion"), ("Acme",), other_subject=True)
    assert [f.trigger for f in fired] == ["downstream-victim"]


def test_a_first_government_advisory_fires_only_when_watched() -> None:
    gov = fact("CISA adds guidance", trust="government")
    assert [f.trigger for f in detect_watched(gov, {"government-advisory"}, {"vendor"})] == ["government-advisory"]
    assert detect_watched(gov, set(), {"vendor"}) == []
    assert detect_watched(gov, {"government-advisory"}, {"government"}) == []
