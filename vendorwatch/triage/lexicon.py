"""Phrase lexicons for incident classification: each rule names the signal it gives.

Rules are general phrasing of breach, credential, exploitation, outage, marketing, earnings, phishing-kit
and trend reports; none is written for a particular item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Signal = Literal[
    "breach",
    "credential",
    "exploit",
    "exploit-scale",
    "vuln",
    "outage",
    "product-news",
    "earnings",
    "phishing",
    "trend",
    "denial",
    "thwarted",
    "actor",
    "scope",
]


@dataclass(frozen=True)
class Rule:
    """A named phrase pattern; `hard` rules alone make an item an incident."""

    name: str
    signal: Signal
    pattern: re.Pattern[str]
    hard: bool = False
    negatable: bool = True


def _r(name: str, signal: Signal, pattern: str, *, hard: bool = False, negatable: bool = True) -> Rule:
    return Rule(name, signal, re.compile(pattern, re.IGNORECASE), hard, negatable)


_ACTOR = r"\b(?:attackers?|intruders?|hackers?|(?:threat )?actor|someone|gang|crew|adversary)\b"
_ASSET = (
    r"(?:source code|code|data|repositor(?:y|ies)|repos|archives?|certificates|documents|details|information|"
    r"records|tenants|mailboxes|phone numbers|backups?|mailing list|list|internal systems|environment)"
)
_SECRET = r"(?:tokens?|credentials?|passwords?|api keys|keys|secrets|certificates|session cookies|mfa data)"

RULES: tuple[Rule, ...] = (
    _r(
        "breach-word",
        "breach",
        r"\b(?:hack(?:ed|s)?|breach(?:ed|es)?|intrusions?|intruders?|compromised?|"
        r"security incident|unauthori[sz]ed access|ransomware attack|data theft|claims? of access)\b",
        hard=True,
    ),
    _r(
        "breach-verb",
        "breach",
        _ACTOR + r"[^.;]{0,60}?\b(?:gained|had (?:remote )?access|obtained|reached|"
        r"accessed|stole|copied|downloaded|exfiltrated|cloned|took over|controlled|leaked|exported|breached|"
        r"got into|added its own|abus(?:ed|ing))\b",
        hard=True,
    ),
    _r(
        "data-stolen",
        "breach",
        r"\b(?:stole|stolen|exfiltrat\w+|copied|copies of|leak(?:s|ed)|took|taken|"
        r"exported|downloaded|cloned|accessed)\b[^.;]{0,50}?\b" + _ASSET + r"\b",
        hard=True,
    ),
    _r(
        "data-stolen",
        "breach",
        r"\b" + _ASSET + r"\b[^.;]{0,40}?\b(?:stolen|taken|copied|leaked|"
        r"exfiltrated|exposed|accessed|cloned)\b",
        hard=True,
    ),
    _r(
        "credential-exposed",
        "credential",
        r"\b(?:stolen|leaked|exposed|compromised|abused|misuse of|misused|"
        r"exposing|copied|obtained|hashed)\b[^.;,]{0,30}?\b" + _SECRET + r"\b",
        hard=True,
    ),
    _r(
        "credential-exposed",
        "credential",
        r"\b" + _SECRET + r"\b[^.;]{0,40}?\b(?:were |was |had been |"
        r"have been |been )?(?:stolen|leaked|exposed|copied|taken|compromised)\b",
        hard=True,
    ),
    _r(
        "stolen-passive",
        "breach",
        r"\b(?:was|were|had been|have been|has been)\s+(?:stolen|exfiltrated|"
        r"leaked)\b",
        hard=True,
    ),
    _r(
        "credential-response",
        "credential",
        r"\b(?:revok\w+|rotat\w+|reset(?:ting|s)?|invalidat\w+|"
        r"generate new)\b[^.;]{0,40}?\b" + _SECRET + r"\b",
    ),
    _r("zero-day", "exploit", r"\bzero[- ]days?\b|\b0-?days?\b", hard=True),
    _r("exploited", "exploit", r"\b(?:actively |widely |mass[- ])?exploit(?:ed|ing|ation)\b", hard=True),
    _r("exploited", "exploit", r"\bemergency directive\b|\bin the wild\b|\bKEV\b", hard=True),
    _r(
        "exploit-victims",
        "exploit-scale",
        r"\b(?:fewer than|less than|a (?:small|limited) number of|"
        r"a handful of)\s+(?:\d+\s+)?(?:affected\s+)?customers\b",
    ),
    _r(
        "vulnerability",
        "vuln",
        r"\bCVE-\d{4}-\d{4,}\b|\bvulnerabilit(?:y|ies)\b|\bflaws?\b|"
        r"\bsecurity (?:advisory|update|fix(?:es)?)\b|\bpatch(?:es|ed|ing)?\b|\bremote code execution\b|"
        r"\bauthentication bypass\b|\b(?:command|sql) injection\b",
    ),
    _r("outage", "outage", r"\boutages?\b|\bdowntime\b|\bdegraded\b|\bservice disruption\b|\boffline\b"),
    _r(
        "product-news",
        "product-news",
        r"\b(?:now|generally) available\b|\bgeneral availability\b|"
        r"\blaunch(?:es|ed)?\b|\bintroduc(?:es|ed|ing)\b|\bpreview(?:s|ed)?\b|\bunveil\w*|\brenamed\b|"
        r"\bis becoming\b|\brebrand\w*|\bend of (?:support|life)\b|\bwill (?:require|stop|end|offer)\b|"
        r"\bto end\b|\bfree (?:tier|plans?|dynos)\b|\badd-on\b|\bnew features?\b|\bconference\b|\badds\b",
    ),
    _r(
        "earnings",
        "earnings",
        r"\blay(?:s)? off\b|\blayoffs?\b|\b(?:cuts?|reduc\w*|trims?) (?:its |the |\d+% of its )?workforce\b|"
        r"\bworkforce reductions?\b|\bearnings\b|\brevenue\b|"
        r"\bquarterly results\b|\bfiscal\b|\bIPO\b|\bacquisition\b|\bacquires?\b|\bfunding round\b|"
        r"\breorgani[sz]\w+",
    ),
    _r(
        "phishing-kit",
        "phishing",
        r"\bfake\b|\blook-?alike\b|\bimpersonat\w+|\bposing as\b|-themed\b|"
        r"\btrojani[sz]ed\b|\bmalware\b|\binfo(?:rmation)?[- ]?stealer\b|\bphishing (?:campaign|kit|pages?|"
        r"scam|emails?|sites?|domain)\b|\btyposquat\w*|\bdeepfake\w*",
    ),
    _r(
        "attack-trend",
        "trend",
        r"\bincreasingly\b|\bgold mine\b|\bmarkets?\b|\bsold in bulk\b|^why\b|"
        r"\bhow to\b|\bcheck ?list\b|\bbest practices\b|\bmore than \d+ (?:organi[sz]ations|companies)\b|"
        r"\bcredential stuffing\b|\bcampaign\b|\baccount takeovers\b|\btrends?\b|\bspike\b",
    ),
    # An attacker plus an affected population is an incident even without a "stole"/"hacked" verb.
    _r("actor-mention", "actor", r"\b(?:threat actors?|attackers?|intruders?|hackers?|adversar(?:y|ies))\b"),
    _r(
        "impact-scope",
        "scope",
        r"\b(?:customers|users|accounts|tenants|organi[sz]ations)\b[^.;]{0,20}?\b(?:are|were|is|was|have been|"
        r"has been)\s+(?:affected|impacted)\b|\b(?:affected|impacted)\s+(?:all|every|\d[\d,]*)\b",
    ),
    _r(
        "denial",
        "denial",
        r"\b(?:itself|themselves)\s+(?:was|were)\s+not\s+(?:hacked|breached|compromised)\b|"
        r"\bneither\b[^.;]{0,40}\b(?:was|were)\s+(?:hacked|breached|compromised)\b|"
        r"\bno impact on the (?:company|business|organi[sz]ation)\b|\bwas not a cyberattack\b",
        negatable=False,
    ),
    _r(
        "thwarted",
        "thwarted",
        r"\bcould not (?:log|sign) in\b|\b(?:stopped|thwarted|foiled|blocked) "
        r"(?:it|the attack|the attempt)\b",
        negatable=False,
    ),
)

_NEGATOR = re.compile(r"\b(?:no|not|never|without|neither|nor)\b|n['’]t\b", re.IGNORECASE)
# Words that may stand between a negator and what it negates ("no evidence of", "has not been", "no longer").
_FILLER = frozenset(
    [
        "evidence",
        "of",
        "been",
        "be",
        "yet",
        "any",
        "known",
        "sign",
        "signs",
        "indication",
        "indications",
        "that",
        "the",
        "a",
        "an",
        "was",
        "were",
        "is",
        "are",
        "has",
        "have",
        "had",
        "longer",
        "actually",
        "directly",
        "reason",
        "to",
        "think",
        "believe",
        "found",
        "further",
        "new",
        "more",
        "receive",
        "receives",
        # perception words: "not aware of", "no exploitation seen/observed", "not detected any"
        "aware",
        "seen",
        "observed",
        "detected",
        "identified",
        "confirmed",
        "reports",
        "reported",
        "currently",
        "active",
        "exploitation",
        "exploited",
        "in",
    ]
)
# A negation written after the phrase: "exploitation has not been observed".
_POST_NEGATION = re.compile(
    r"^\s*(?:(?:of|in)\s+[\w\s-]{0,40}?)?(?:(?:has|have|had|was|were|is|are)\s+)?(?:not|never)\s+(?:been\s+)?"
    r"(?:seen|observed|detected|reported|confirmed|known|found)\b",
    re.IGNORECASE,
)
# Hypothetical wording: "could be exploited", "if exploited", "successful exploitation", "could exploit".
_HYPOTHETICAL_BEFORE = re.compile(
    r"\b(?:could|can|may|might|would|should|if|once|unless|successful(?:ly)?|potential(?:ly)?|possible|"
    r"risk of|attempts? to)\s+(?!have\b)(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
_HYPOTHETICAL_AFTER = re.compile(r"^\s*(?:\w+\s+){0,4}?(?:could|may|might|would|can)\s+(?!have\b)\w+", re.IGNORECASE)


def is_negated(text: str, start: int, end: int) -> bool:
    """True if a phrase is negated: a negator inside it, or before it with only filler words between."""
    if _NEGATOR.search(text[start:end]):
        return True
    clause = re.split(r"[.;:!?,]", text[:start])[-1]
    found = list(_NEGATOR.finditer(clause))
    if not found:
        return False
    last = found[-1]
    between = re.findall(r"[\w'’]+", clause[last.end() :])
    return len(between) <= 5 and all(w.lower() in _FILLER for w in between)


def is_denied_after(text: str, end: int) -> bool:
    """True if the clause after a phrase denies it was seen ("exploitation has not been observed")."""
    return bool(_POST_NEGATION.match(re.split(r"[.;:!?]", text[end:])[0]))


def is_hypothetical(text: str, start: int, end: int, *, after_too: bool = True) -> bool:
    """True if an event is only possible, not reported ("could be exploited", "could let an intruder")."""
    clause = re.split(r"[.;:!?,]", text[:start])[-1]
    after = re.split(r"[.;:!?,]", text[end:])[0]
    return bool(_HYPOTHETICAL_BEFORE.search(clause) or (after_too and _HYPOTHETICAL_AFTER.match(after)))
