"""Change triggers: general regex lexicons that make a follow-up report material to an assessment.

Each lexicon describes a kind of development (the vendor widens the scope, stolen material is confirmed
abused, a root cause is published, another company discloses impact from this incident), never a phrase
of one particular report. `detect` returns what fired with the phrase that fired it, for the record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vendorwatch.assessments.facts import ItemFact

_WHO = r"(?:customers?|users|tenants|accounts|organi[sz]ations|companies|clients)"
_ACTOR = r"(?:attackers?|threat actors?|hackers?|intruders?|adversar(?:y|ies)|criminals)"
_MATERIAL = r"(?:session )?(?:tokens?|cookies?|sessions?|keys?|secrets?|credentials?|passwords?)"

LEXICONS: dict[str, tuple[re.Pattern[str], ...]] = {
    "scope-expansion": tuple(
        re.compile(p, re.I)
        for p in (
            # "all customer support users", but not "all affected customers have been notified"
            rf"\ball (?:of )?(?!affected\b|impacted\b|notified\b)(?:[\w-]+ ){{0,4}}{_WHO}\b",
            rf"\bmore {_WHO} than\b",
            r"\b(?:larger|broader|wider|bigger) than (?:initially|first|originally|previously)\b",
            r"\bthan (?:initially|first|originally|previously) (?:believed|reported|thought|disclosed|estimated)\b",
            r"\b(?:expanded|widened|widens|widening|broadened) (?:the )?(?:scope|number|list|investigation)\b",
            r"\bscope (?:of the \w+ )?(?:has )?(?:expanded|widened|grew|increased)\b",
            rf"\b(?:additional|further|more) {_WHO} (?:were |are |have been )?(?:affected|impacted|exposed)\b",
        )
    ),
    "confirmed-abuse": tuple(
        re.compile(p, re.I)
        for p in (
            rf"\bused (?:(?:the|stolen|those|these|their) ){{0,2}}{_MATERIAL} (?:[\w-]+ ){{0,4}}?to "
            r"(?:access|hijack|log in|sign in|impersonate|reach|breach|take over)\b",
            r"\breplay(?:ed|ing)\b",
            r"\bhijack(?:ed|ing|s)?\b",
            rf"\bconfirm(?:ed|s) (?:that )?(?:the )?{_ACTOR} (?:had )?(?:used|accessed|abused|stole|exfiltrated)\b",
            r"\b(?:abused|misused) (?:the )?(?:stolen )?\w+\b",
            r"\b(?:actively|being) exploited\b",
        )
    ),
    "root-cause": tuple(
        re.compile(p, re.I)
        for p in (
            r"\broot[- ]cause\b",
            r"\bconcluded (?:its|our|the|their) investigation\b",
            rf"\bhow (?:the )?{_ACTOR} (?:got in|gained|obtained|accessed|broke|entered)\b",
            r"\b(?:our|its|the) investigation (?:found|determined|showed|revealed|established)\b",
            r"\b(?:post-?mortem|incident report|initial access vector)\b",
        )
    ),
}
# Phrases naming the vendor's incident as the origin of someone else's; {v} is the vendor's name or alias.
_DOWNSTREAM = (
    r"\b(?:stolen|taken|obtained|exfiltrated|lifted) (?:in|from|during) (?:the )?{v}\b",
    r"\bas a result of (?:the )?{v}\b",
    r"\b(?:breach|intrusion|attack|compromise|incident|access) (?:was |were |is )?"
    r"(?:traced|linked|tied|attributed) to [^.]{{0,60}}?{v}\b",
    r"\b(?:tie|tied|ties|link|linked|links|attribute[sd]?) (?:its|their) own (?:breach|intrusion|compromise|incident)",
    r"\b(?:downstream|knock-on) (?:victim|breach|compromise|attack)",
)
# Indicator-only triggers: not material in themselves, material when the current assessment watches them.
WATCHED = ("government-advisory",)
ALL = (*LEXICONS, "downstream-victim", *WATCHED)


@dataclass(frozen=True)
class Fired:
    """One trigger that fired on one item, with the phrase that fired it."""

    trigger: str
    item_id: int
    evidence: str

    def as_json(self) -> dict[str, object]:
        """The stored form (Assessment.fired)."""
        return {"trigger": self.trigger, "item_id": self.item_id, "evidence": self.evidence}


def _first(patterns: tuple[re.Pattern[str], ...], text: str) -> str | None:
    for pattern in patterns:
        if match := pattern.search(text):
            return match.group(0)
    return None


def downstream_patterns(names: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """The downstream-victim lexicon for a vendor known by these names."""
    alt = "(?:" + "|".join(re.escape(n) for n in names if n) + r")(?:'s)?"
    return tuple(re.compile(p.format(v=alt), re.I) for p in _DOWNSTREAM)


def detect(item: ItemFact, vendor_names: tuple[str, ...], *, other_subject: bool) -> list[Fired]:
    """Every material trigger the item fires; `other_subject` is true when triage named another victim."""
    text = f"{item.title}. {item.summary}"
    fired = [Fired(name, item.item_id, phrase) for name, pats in LEXICONS.items() if (phrase := _first(pats, text))]
    phrase = _first(downstream_patterns(vendor_names), text)
    if phrase is None and (other_subject or item.role == "downstream"):
        phrase = f"triage: another company is the subject ({item.role})"
    if phrase is not None:
        fired.append(Fired("downstream-victim", item.item_id, phrase))
    return fired


def detect_watched(item: ItemFact, watched: set[str], seen_trust: set[str]) -> list[Fired]:
    """Indicator-only triggers the current assessment watches for (e.g. a first government advisory)."""
    fired = []
    if "government-advisory" in watched and item.trust == "government" and "government" not in seen_trust:
        fired.append(Fired("government-advisory", item.item_id, f"government source {item.source_id}"))
    return fired
