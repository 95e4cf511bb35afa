"""Specs: the change-trigger lexicons are general rules (no database).

Each category has a table of sentences that must fire it and sentences that must not (product news,
remediation requests, negated or hedged statements), written for these specs, not copied from a feed.
"""

from __future__ import annotations

import pytest

from vendorwatch.assessments.facts import ItemFact
from vendorwatch.assessments.triggers import detect, detect_watched


def fact(text: str, trust: str = "news", role: str = "follow-up") -> ItemFact:
    return ItemFact(7, "src", trust, None, text, "", "https://x.example", "breach", 0.9, (), role)  # type: ignore[arg-type]


def fired(text: str) -> set[str]:
    return {f.trigger for f in detect(fact(text), ("Acme",), other_subject=False)}


SPECS: dict[str, tuple[list[str], list[str]]] = {
    "scope-expansion": (
        [
            "Acme now says all of its enterprise customers were affected",
            "The breach is larger than initially reported",
            "Attackers stole data of more users than first disclosed",
            "Additional tenants were affected, the company said",
            "The intrusion has expanded to Acme's payroll and HR platforms",
            "Acme's compromise spread beyond the support portal into production",
            "Investigators say the intruders also accessed the company's source code repositories",
            "The same machine token was also used to copy hashed user passwords",
            "API keys for the CI integration were also stolen",
            "A fresh filing shows the attack impacted every tenant in the EU region",
            "Every Acme workspace created before March should be considered compromised",
            "More accounts were affected than previously disclosed",
            "The number of affected organisations has climbed to 400",
            "Acme's campaign escalates as a second wave of phishing hits admins",
        ],
        [
            "Acme says all affected customers have been notified",
            "Acme will let admins require passkeys for all workspace users",
            "Acme urges every customer to reset passwords and enable phishing-resistant MFA",
            "The company recommends that all tenants rotate their signing keys this week",
            "Acme has notified all customers whose records were accessed",
            "Acme found no evidence that other customers were affected",
            "Acme expands its product line to all enterprise users",
            "Acme's revenue grew more than analysts expected",
            "The attack surface of modern SaaS keeps growing, researchers say",
        ],
    ),
    "confirmed-abuse": (
        [
            "Attackers used the stolen tokens to access customer tenants",
            "Session cookies were replayed against three customers",
            "The gang used stolen API keys to sign in to cloud consoles",
            "Acme confirmed the attackers accessed source code with a hijacked session",
            "The flaw is being exploited against exposed servers",
            "A leaked deploy token was used to download private packages",
            "The intruder obtained integration keys and used them to clone customer repositories",
            "Researchers saw the group abusing stolen refresh tokens for weeks",
            "The gateway bug was mass-exploited to plant webshells",
        ],
        [
            "Hackers used a stolen credential to access Acme's support system",
            "There is no evidence the threat actor used the stolen keys to access customer systems",
            "Acme has not seen any stolen session replayed so far",
            "Responders are checking whether intruders used those tokens to sign in elsewhere",
            "The attackers may have used stolen credentials to log in to some tenants",
            "Acme has yet to confirm the attackers accessed customer data",
            "Acme is not aware of exploitation in the wild",
            "Acme found no sign the leaked keys were used to access production",
        ],
    ),
    "root-cause": (
        [
            "Acme concluded its investigation into the intrusion",
            "Root cause: an engineer's laptop infected by an infostealer",
            "Acme's post-mortem blames a leaked deploy key",
            "Our investigation determined that a contractor account lacked MFA",
            "The report explains how the attackers gained a foothold through a test server",
            "Acme concludes its review of the January intrusion",
            "The final forensic report shows one workstation was controlled for 25 minutes",
            "A phished contractor account was behind the Acme breach",
        ],
        [
            "Acme says it has not yet identified the root cause",
            "Investigators are still working to determine the root cause",
            "The root cause is not yet known, a spokesperson said",
            "It is unclear how the attackers got in",
            "Acme has not said how the intruders obtained the admin password",
            "The company will publish an incident report once its review ends",
            "Acme is behind on patching its support portal",
        ],
    ),
    "downstream-victim": (
        [
            "Globex says its breach was traced to keys stolen in the Acme incident",
            "Payroll data exposed as a result of the Acme breach, Initech says",
            "Initech ties its own intrusion to tokens lifted from Acme",
        ],
        [
            "Globex says its breach was not linked to the Acme incident",
            "Initech reviews its Acme integration as a precaution",
        ],
    ),
}
CASES = [(trigger, text, True) for trigger, (yes, _) in SPECS.items() for text in yes] + [
    (trigger, text, False) for trigger, (_, no) in SPECS.items() for text in no
]


@pytest.mark.parametrize(("trigger", "text", "fires"), CASES)
def test_lexicon_spec(trigger: str, text: str, fires: bool) -> None:
    assert (trigger in fired(text)) is fires, text


@pytest.mark.parametrize(
    "text",
    [
        "Acme says all affected customers have been notified",
        "Acme breach: what we know so far",
        "Hackers used a stolen credential to access Acme's support system",
        "Acme confirmed the incident on Friday",
        "Acme asks every customer to rotate API tokens and review audit logs",
        "Acme will make MFA mandatory and let admins turn it on for all accounts",
    ],
)
def test_repeats_and_product_changes_fire_nothing(text: str) -> None:
    assert detect(fact(text), ("Acme",), other_subject=False) == []


def test_the_phrase_that_fired_is_recorded() -> None:
    found = detect(fact("Acme's token theft widens to chat and calendar integrations"), ("Acme",), other_subject=False)
    assert [(f.trigger, f.evidence) for f in found] == [
        ("scope-expansion", "theft widens to chat and calendar integrations")
    ]


def test_a_negation_in_another_clause_does_not_cancel() -> None:
    text = "Acme had not disclosed it before; attackers used the stolen cookies to hijack admin sessions"
    assert "confirmed-abuse" in fired(text)


def test_another_registry_vendor_as_subject_is_a_downstream_victim() -> None:
    found = detect(fact("Globex discloses intrusion"), ("Acme",), other_subject=True)
    assert [f.trigger for f in found] == ["downstream-victim"]


def test_a_first_government_advisory_fires_only_when_watched() -> None:
    gov = fact("CISA adds guidance", trust="government")
    assert [f.trigger for f in detect_watched(gov, {"government-advisory"}, {"vendor"})] == ["government-advisory"]
    assert detect_watched(gov, set(), {"vendor"}) == []
    assert detect_watched(gov, {"government-advisory"}, {"government"}) == []
