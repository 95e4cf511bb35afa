"""The class of text each role cue stands for (who did what to whom), shown in the evidence."""

from __future__ import annotations

from types import MappingProxyType

_VICTIM = "an attacker acted against the vendor"
CUE_CLASS = MappingProxyType(
    {
        "victim-adjective": "the vendor's material or software is named stolen, exposed or tainted",
        "incident-at": "an incident at the vendor",
        "victim-of-verb": _VICTIM,
        "access-to": _VICTIM,
        "hacked": _VICTIM,
        "passive-breach": _VICTIM,
        "taken-from": "stolen from A (to reach B): A is the source",
        "flaw-in": "a flaw in the vendor's product",
        "instrument": "the vendor's product was the way in",
        "credentials-of": "a platform acts against the vendor's integration",
        "incident-noun": "the vendor's own incident is named",
        "possessive-loss": "the vendor's material was stolen",
        "grammatical-subject": "the vendor opens the sentence as its subject",
        "reports-own-incident": "the vendor reports the attack on its own service",
        "possessed": "an owner's product is named (its X repositories)",
        "impersonated": "the vendor's brand is impersonated by a lure",
        "login-page": "the vendor's brand is impersonated by a lure",
        "enumerated": "the vendor is one example among others",
        "modifier": "the name modifies someone else's thing (X-protected accounts)",
        "parent": "the vendor owns or backs the one named",
        "quoted-word": "the name is quoted as a word",
        "population": "the vendor's users or customers are named",
        "notifier": "the vendor told the victim",
        "researcher": "the vendor's researchers report on others",
        "denied": "the vendor is said not to be affected",
        "origin-of-stolen": "stolen from A to reach B: A is the background",
        "named-as-origin-in-title": "stolen from A to reach B: A is the background",
        "past-incident": "a past incident cited behind the current one",
    }
)


def cue_class(cue: str) -> str:
    """The class of text behind a role cue."""
    return CUE_CLASS.get(cue, "role cue")
