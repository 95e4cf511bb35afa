"""Vendors named only as the background of another vendor's incident: the origin of stolen material
("Cloudflare hacked with tokens stolen in the Okta attack") or a past incident ("after the X breach last
October"). Such mentions lose their victim cues so the vendor stays referenced.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from vendorwatch.triage import cues
from vendorwatch.triage.roles import MentionCues, sentence_bounds

_I = re.IGNORECASE
_NOUN = (
    r"(?:cyber-?attacks?|attacks?|breach(?:es)?|hacks?|compromises?|incidents?|intrusions?|thefts?|leaks?|"
    r"campaigns?|heists?)"
)
# The vendor modifies an incident noun: "Okta attack", "Okta's support-system breach", "Okta-era tokens".
_INCIDENT_AFTER = re.compile(r"^(?:(?:['’]s)?(?:\s+[\w-]+){0,2}?\s+" + _NOUN + r"\b|-era\b)", _I)
# The incident is named before the vendor: "the breach at X last October".
_INCIDENT_BEFORE = re.compile(_NOUN + r"\s+(?:at|of|on|against|involving|affecting)\s+(?:the\s+)?$", _I)
_MONTHS = r"january|february|march|april|may|june|july|august|september|october|november|december"
_PERIOD = rf"(?:week|month|year|quarter|spring|summer|autumn|fall|winter|{_MONTHS})"
# Words that place an incident in the past ("last October", "in 2023", "months ago", "prior").
_PAST = re.compile(
    rf"\b(?:last\s+{_PERIOD}(?:['’]s)?|(?:earlier|late|early)\s+(?:this|last)\s+{_PERIOD}|"
    rf"(?:earlier|late|early)\s+in\s+(?:19|20)\d\d|(?:\w+\s+)?(?:days?|weeks?|months?|years?)\s+ago|"
    r"previous(?:ly)?|prior|earlier|past|former|year-old|months-old)\b|(?<![-\w])(?:19|20)\d\d(?![-\w])",
    _I,
)
# The incident is framed as where something came from or what came before ("stolen in the", "after the").
_PREP = (
    r"\b(?:in|from|during|after|following|since|amid|via|through|with|by|of|"
    r"in the (?:wake|aftermath) of|linked to|tied to|traced (?:back )?to|stemm(?:ing|ed) from|"
    r"related to|connected to|attributed to|tied back to)\s+"
    r"(?:(?:the|an?|its|last\s+\w+['’]s|this\s+\w+['’]s)\s+)?(?:[\w-]+\s+){0,2}?"
)
_FRAMING = re.compile(_PREP + r"$", _I)
_FRAMING_NOUN_FIRST = re.compile(_PREP + _INCIDENT_BEFORE.pattern, _I)
# Cues that name or describe a breach of the vendor; other cues ("tokens issued to X") are left alone.
_INCIDENT_CUES = frozenset(
    {
        "incident-noun",
        "incident-at",
        "hacked",
        "passive-breach",
        "possessive-loss",
        "victim-of-verb",
        "victim-adjective",
        "grammatical-subject",
    }
)


def _parts(texts: Mapping[str, str], c: MentionCues) -> tuple[str, str]:
    text = texts[c.mention.where]
    lo, hi = sentence_bounds(text, *c.mention.span)
    return text[lo : c.mention.span[0]], text[c.mention.span[1] : hi]


def _framed(before: str, after: str) -> bool:
    """The mention names an incident inside a prepositional phrase ("stolen in the X attack")."""
    if after.startswith("-era"):  # "X-era credentials" names where they came from
        return True
    if _INCIDENT_AFTER.match(after):
        return bool(_FRAMING.search(before))
    return bool(_FRAMING_NOUN_FIRST.search(before))


def _past(before: str, after: str) -> bool:
    """A past-time cue sits next to the incident the mention names ("the X breach last October")."""
    m = _INCIDENT_AFTER.match(after)
    if m:
        return bool(_PAST.search(before[-30:]) or _PAST.search(after[: m.end() + 30]))
    if _INCIDENT_BEFORE.search(before):
        return bool(_PAST.search(before[-50:]) or _PAST.search(after[:30]))
    return False


def _strip(c: MentionCues, cue: str, weight: int) -> None:
    c.subject = [s for s in c.subject if s[0] not in _INCIDENT_CUES]
    c.reporter = False
    if (cue, weight) not in c.ref:
        c.ref.append((cue, weight))


def _victims(cues: list[MentionCues], where: str | None = None) -> set[int]:
    return {
        c.mention.vendor_id
        for c in cues
        if c.best_subject() >= 3 and not c.reporter and (where is None or c.mention.where == where)
    }


_TAKEN_FROM = re.compile(
    r"\b(?:stolen|taken|copied|exfiltrated|leaked|obtained)\s+(?:from|in|during)\s+(?:the\s+)?$", _I
)


def names_incident(before: str, after: str) -> bool:
    """Class *story link*: the mention names the vendor's incident ("the X breach", "breach at X", "taken from X").

    Not when the link is negated or hedged ("has not said whether it is tied to the X campaign").
    """
    if not (_INCIDENT_AFTER.match(after) or _INCIDENT_BEFORE.search(before) or _TAKEN_FROM.search(before)):
        return False
    return not (cues.NEGATION.search(before) or cues.HEDGE.search(before))


def apply_background(texts: Mapping[str, str], cues: list[MentionCues], publisher_incident: bool = False) -> None:
    """Demote vendors named only as the origin or a past incident behind another vendor's incident.

    `publisher_incident`: a vendor's own feed tells of its own incident in the first person, so a vendor named
    as the origin anywhere ("credentials taken in the October Acme compromise") is its background.
    """
    parts = {id(c): _parts(texts, c) for c in cues if c.mention.where in texts}
    for c in cues:
        c.names_incident = id(c) in parts and names_incident(*parts[id(c)])
    # 1. Title roles: a title victim plus another vendor named only as the origin of the stolen material.
    where = ("title", "summary") if publisher_incident else ("title",)
    origins = {c.mention.vendor_id for c in cues if c.mention.where in where and _framed(*parts[id(c)])}
    title_victim = _victims([c for c in cues if c.mention.vendor_id not in origins], "title")
    if origins and (title_victim or publisher_incident):
        for c in cues:
            if c.mention.vendor_id in origins and id(c) in parts:
                _strip(c, "origin-of-stolen" if c.mention.where == "title" else "named-as-origin-in-title", 3)
    # 2. A past incident cited behind the current one ("after the X compromise last October").
    for c in cues:
        if id(c) not in parts or not _past(*parts[id(c)]):
            continue
        others = _victims([o for o in cues if o.mention.vendor_id != c.mention.vendor_id])
        if others or _framed(*parts[id(c)]):
            _strip(c, "past-incident", 3)
