"""The phrase rules of incident classification, as typed data: each rule names its signal and its class of text.

A class is who did what to whom ("an attacker took data from the vendor", "the vendor rotated a credential
after an exposure", "a monthly patch roundup"); no rule is written for a particular item. Validated at import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Signal(StrEnum):
    """What a matched phrase says about the item."""

    BREACH = "breach"
    CREDENTIAL = "credential"
    EXPLOIT = "exploit"
    EXPLOIT_SCALE = "exploit-scale"
    VULN = "vuln"
    OUTAGE = "outage"
    PRODUCT_NEWS = "product-news"
    EARNINGS = "earnings"
    PHISHING = "phishing"
    TREND = "trend"
    DENIAL = "denial"
    THWARTED = "thwarted"
    ACTOR = "actor"
    SCOPE = "scope"
    ROTATED = "rotated"
    LEGAL = "legal"
    PAST = "past"
    ROUNDUP = "roundup"
    RETROSPECTIVE = "retrospective"
    STAFF_DATA = "staff-data"
    THIRD_PARTY = "third-party"


class TextClass(StrEnum):
    """The class of text a rule stands for (shown in the evidence as `class ...`)."""

    BREACH = "an attacker reached or took the vendor's systems or data"
    CREDENTIAL = "the vendor's secrets were stolen, leaked or exposed"
    ROTATION = "the vendor rotated, revoked or reset credentials"
    SUPPLY_CHAIN = "the vendor's software or script was tampered with and shipped to its customers"
    ACTS_AGAINST_INTEGRATION = "a platform revokes the credentials of another vendor's integration"
    LEGAL_AFTERMATH = "a court, lawsuit or settlement over a breach long past"
    MASS_REVOCATION = "every credential of a kind is revoked or reset at once (the issuer was exposed)"
    QUIET_ROTATION = "on its own feed the vendor says it rotated or revoked its credentials (an exposure)"
    EXPLOITATION = "a flaw is exploited in attacks"
    ADVISORY = "a flaw is disclosed or patched"
    OUTAGE = "a service is down or degraded"
    PRODUCT_NEWS = "product news"
    BUSINESS_NEWS = "business news"
    LURE = "a brand is impersonated by lures, kits or malware"
    TREND = "a trend piece about attacks in general"
    BREACH_WITHOUT_VERB = "an attacker and an affected population, told without a theft verb"
    DENIAL = "the vendor says it was not breached"
    DEFENCE = "an attack was stopped or defended against (a vendor blocking a DDoS defends others)"
    ROUNDUP = "a roundup of many flaws or stories"
    RETROSPECTIVE = "a retrospective or lessons-learned essay on a past incident"
    THIRD_PARTY_STAFF_DATA = "the vendor's staff data leaked at one of its own providers"


@dataclass(frozen=True)
class Rule:
    """A named phrase pattern; `hard` rules alone make an item an incident."""

    name: str
    cls: TextClass
    signal: Signal
    pattern: re.Pattern[str]
    hard: bool = False
    negatable: bool = True


def _r(name: str, cls: TextClass, signal: Signal, pattern: str, *, hard: bool = False, negatable: bool = True) -> Rule:
    if not re.fullmatch(r"[a-z][a-z0-9-]*", name):
        raise ValueError(f"rule name {name!r}: lower-case words joined by '-'")
    return Rule(name, TextClass(cls), Signal(signal), re.compile(pattern, re.IGNORECASE), hard, negatable)


_ACTOR = (
    r"\b(?:attackers?|intruders?|hackers?|(?:threat )?actors?|someone|gang|crew|adversary|"
    r"(?:outside|unauthori[sz]ed|unknown|malicious) part(?:y|ies))\b"
)
# What a supply-chain attack tampers with: the vendor's software as it ships.
_SHIPPED = (
    r"(?:updates?|builds?|software|scripts?|uploaders?|binar(?:y|ies)|files|releases?|packages?|installers?|"
    r"copies|versions|images|libraries)"
)
_ASSET = (
    r"(?:source code|code|data|repositor(?:y|ies)|repos|archives?|certificates|documents|details|information|"
    r"records|tenants|mailboxes|phone numbers|backups?|mailing list|list|internal systems|environment)"
)
_SECRET = r"(?:tokens?|credentials?|passwords?|api keys?|keys?|secrets|certificates?|session cookies|mfa data)"

RULES: tuple[Rule, ...] = (
    _r(
        "breach-word",
        TextClass.BREACH,
        Signal.BREACH,
        r"\b(?:hack(?:ed|s)?|breach(?:ed|es)?|intrusions?|intruders?|compromised?|"
        r"security incident|unauthori[sz]ed access|ransomware attack|data theft|claims? of access)\b",
        hard=True,
    ),
    _r(
        "breach-verb",
        TextClass.BREACH,
        Signal.BREACH,
        _ACTOR + r"[^.;]{0,60}?\b(?:gained|had (?:remote )?access|obtained|reached|"
        r"accessed|stole|copied|downloaded|exfiltrated|cloned|took over|controlled|leaked|exported|breached|"
        r"got into|abus(?:ed|ing)|(?:kept|maintained|retained) (?:[\w-]+ )?access)\b",
        hard=True,
    ),
    _r(
        "data-stolen",
        TextClass.BREACH,
        Signal.BREACH,
        r"\b(?:stole|stolen|exfiltrat\w+|copied|copies of|leak(?:s|ed)|took|taken|"
        r"exported|downloaded|cloned|accessed)\b[^.;]{0,50}?\b" + _ASSET + r"\b",
        hard=True,
    ),
    _r(
        "data-stolen",
        TextClass.BREACH,
        Signal.BREACH,
        r"\b" + _ASSET + r"\b[^.;]{0,40}?\b(?:stolen|taken|copied|leaked|"
        r"exfiltrated|exposed|accessed|cloned)\b",
        hard=True,
    ),
    _r(
        "credential-exposed",
        TextClass.CREDENTIAL,
        Signal.CREDENTIAL,
        r"\b(?:stolen|leaked|exposed|compromised|abused|misuse of|misused|"
        r"exposing|copied|obtained|hashed|stole|took|taken)\b[^.;,]{0,30}?\b" + _SECRET + r"\b",
        hard=True,
    ),
    _r(
        "credential-exposed",
        TextClass.CREDENTIAL,
        Signal.CREDENTIAL,
        r"\b" + _SECRET + r"\b[^.;]{0,40}?\b(?:were |was |had been |"
        r"have been |been )?(?:stolen|leaked|exposed|copied|taken|compromised|abused|misused)\b",
        hard=True,
    ),
    _r(
        "stolen-passive",
        TextClass.BREACH,
        Signal.BREACH,
        r"\b(?:was|were|had been|have been|has been)\s+(?:stolen|exfiltrated|"
        r"leaked)\b",
        hard=True,
    ),
    _r(
        "credential-response",
        TextClass.ROTATION,
        Signal.CREDENTIAL,
        r"\b(?:revok\w+|rotat\w+|reset(?:ting|s)?|invalidat\w+|"
        r"generate new)\b[^.;]{0,40}?\b" + _SECRET + r"\b",
    ),
    _r("zero-day", TextClass.EXPLOITATION, Signal.EXPLOIT, r"\bzero[- ]days?\b|\b0-?days?\b", hard=True),
    _r(
        "exploited",
        TextClass.EXPLOITATION,
        Signal.EXPLOIT,
        r"\b(?:actively |widely |mass[- ])?exploit(?:ed|ing|ation)\b",
        hard=True,
    ),
    _r(
        "exploited",
        TextClass.EXPLOITATION,
        Signal.EXPLOIT,
        r"\bemergency directive\b|\bin the wild\b|\bKEV\b",
        hard=True,
    ),
    _r(
        "exploit-victims",
        TextClass.EXPLOITATION,
        Signal.EXPLOIT_SCALE,
        r"\b(?:fewer than|less than|a (?:small|limited) number of|"
        r"a handful of)\s+(?:\d+\s+)?(?:affected\s+)?customers\b",
    ),
    _r(
        "vulnerability",
        TextClass.ADVISORY,
        Signal.VULN,
        r"\bCVE-\d{4}-\d{4,}\b|\bvulnerabilit(?:y|ies)\b|\bflaws?\b|"
        r"\bsecurity (?:advisory|update|fix(?:es)?)\b|\bpatch(?:es|ed|ing)?\b|\bremote code execution\b|"
        r"\bauthentication bypass\b|\b(?:command|sql) injection\b",
    ),
    _r(
        "outage",
        TextClass.OUTAGE,
        Signal.OUTAGE,
        r"\boutages?\b|\bdowntime\b|\bdegraded\b|\bservice disruption\b|\boffline\b",
    ),
    _r(
        "product-news",
        TextClass.PRODUCT_NEWS,
        Signal.PRODUCT_NEWS,
        r"\b(?:now|generally) available\b|\bgeneral availability\b|"
        r"\blaunch(?:es|ed)?\b|\bintroduc(?:es|ed|ing)\b|\bpreview(?:s|ed)?\b|\bunveil\w*|\brenamed\b|"
        r"\brebrand\w*|\bend of (?:support|life)\b|\bwill (?:require|stop|end|offer)\b|"
        r"\bto end\b|\bfree (?:tier|plans?)\b|\badd-on\b|\bnew features?\b|\bconference\b|\badds\b",
    ),
    _r(
        "earnings",
        TextClass.BUSINESS_NEWS,
        Signal.EARNINGS,
        r"\blay(?:s)? off\b|\blayoffs?\b|\b(?:cuts?|reduc\w*|trims?) (?:its |the |\d+% of its )?workforce\b|"
        r"\bworkforce reductions?\b|\bearnings\b|\brevenue\b|"
        r"\bquarterly results\b|\bfiscal\b|\bIPO\b|\bacquisition\b|\bacquires?\b|\bfunding round\b|"
        r"\breorgani[sz]\w+",
    ),
    _r(
        "phishing-kit",
        TextClass.LURE,
        Signal.PHISHING,
        r"\bfake\b|\blook-?alike\b|\bimpersonat\w+|\bposing as\b|-themed\b|"
        r"\btrojani[sz]ed\b|\bmalware\b|\binfo(?:rmation)?[- ]?stealer\b|\bphishing (?:campaign|kit|pages?|"
        r"scam|emails?|sites?|domain)\b|\btyposquat\w*|\bdeepfake\w*",
    ),
    _r(
        "attack-trend",
        TextClass.TREND,
        Signal.TREND,
        r"\bincreasingly\b|\bmarkets?\b|^why\b|"
        r"\bhow to\b|\bcheck ?list\b|\bbest practices\b|\bmore than \d+ (?:organi[sz]ations|companies)\b|"
        r"\bcredential stuffing\b|\bcampaign\b|\baccount takeovers\b|\btrends?\b|\bspike\b",
    ),
    # An attacker plus an affected population is an incident even without a "stole"/"hacked" verb.
    _r(
        "actor-mention",
        TextClass.BREACH_WITHOUT_VERB,
        Signal.ACTOR,
        r"\b(?:threat actors?|attackers?|intruders?|hackers?|adversar(?:y|ies))\b",
    ),
    _r(
        "impact-scope",
        TextClass.BREACH_WITHOUT_VERB,
        Signal.SCOPE,
        r"\b(?:customers|users|accounts|tenants|organi[sz]ations)\b[^.;]{0,20}?\b(?:are|were|is|was|have been|"
        r"has been)\s+(?:affected|impacted)\b|\b(?:affected|impacted)\s+(?:all|every|\d[\d,]*)\b",
    ),
    _r(
        "denial",
        TextClass.DENIAL,
        Signal.DENIAL,
        r"\b(?:itself|themselves)\s+(?:was|were)\s+not\s+(?:hacked|breached|compromised)\b|"
        r"\bneither\b[^.;]{0,40}\b(?:was|were)\s+(?:hacked|breached|compromised)\b|"
        r"\bno impact on the (?:company|business|organi[sz]ation)\b|\bwas not a cyberattack\b|"
        r"\bnot an? (?:breach|hack|compromise|cyberattack|security incident)\b",
        negatable=False,
    ),
    _r(
        "thwarted",
        TextClass.DEFENCE,
        Signal.THWARTED,
        r"\bcould not (?:log|sign) in\b|\b(?:stopped|thwarted|foiled|blocked) "
        r"(?:it|the attack|the attempt)\b",
        negatable=False,
    ),
    _r(
        "tampered-software",
        TextClass.SUPPLY_CHAIN,
        Signal.BREACH,
        r"\b(?:trojani[sz]ed|tainted|tampered(?:[- ]with)?|backdoored|altered|poisoned|malicious)\s+(?:[\w-]+\s+){0,3}?"
        + _SHIPPED
        + r"\b|\b(?:slipped|planted|inserted|injected|hid)\s+(?:a\s+)?(?:backdoor|malicious code|malware)\s+"
        r"in(?:to)?\b|"
        r"\b" + _SHIPPED + r"\s+(?:[\w-]+\s+){0,3}?(?:shipped with|contained|carried|(?:was|were) (?:altered|modified|"
        r"tampered with|trojani[sz]ed|backdoored))\b[^.;]{0,30}?\b(?:malicious|backdoor|malware|code)",
        hard=True,
    ),
    _r(
        "ransomware-hit",
        TextClass.BREACH,
        Signal.BREACH,
        r"\bransomware\s+(?:knocked|hit|struck|crippled|disrupted|took|encrypted|shut)\b|"
        r"\b(?:hit by|was|a|the)\s+ransomware\b(?!\s+(?:gangs?|groups?|operators?|crews?|trends?|economy))",
        hard=True,
    ),
    _r(
        "revoked-for-integration",
        TextClass.ACTS_AGAINST_INTEGRATION,
        Signal.CREDENTIAL,
        r"\b(?:revok\w*|invalidat\w*|expir(?:es|ed)|disabl\w*|switch(?:es|ed)? off|void\w*|cut(?:s)? off)\b"
        r"[^.;]{0,60}?\b(?:tokens?|keys?|credentials?|certificates?|apps|integrations?|connections?)\b[^.;]{0,30}?"
        r"\b(?:for|of|held by|used by|issued to|linked to|tied to)\s+(?:[\w-]+\s+){0,2}?[A-Z][\w-]+",
        hard=True,
    ),
    _r(
        "own-rotation",
        TextClass.QUIET_ROTATION,
        Signal.ROTATED,
        r"\b(?:revoked|rotated|reset|invalidated|replaced|re-?issued|regenerated|retired|voided|expired)\b"
        r"[^.;]{0,40}?\b" + _SECRET + r"\b|\b" + _SECRET + r"\s+(?:(?:was|were|have been|has been)\s+)?"
        r"(?:revoked|rotated|reset|invalidated|replaced|re-?issued|regenerated|retired|voided)\b",
    ),
    _r(
        "mass-revocation",
        TextClass.MASS_REVOCATION,
        Signal.CREDENTIAL,
        r"\b(?:revok(?:es|ed)|invalidat(?:es|ed)|expir(?:es|ed)|void(?:s|ed)|reset(?:s)?|rotated|disabled|"
        r"forc(?:es|ed) (?:a )?(?:rotation|reset) of)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:all|every)\b[^.;]{0,30}?\b"
        + _SECRET
        + r"\b",
        hard=True,
    ),
    _r(
        "defended-ddos",
        TextClass.DEFENCE,
        Signal.THWARTED,
        r"\b(?:block(?:s|ed)?|mitigat(?:es|ed)|fend(?:s|ed)? off|repel(?:s|led)?|absorb(?:s|ed)?|thwart(?:s|ed)?|"
        r"stop(?:s|ped)?|withst(?:ands|ood))\s+(?:[\w-]+\s+){0,5}?(?:DDoS|denial[- ]of[- ]service)\b",
        negatable=False,
    ),
    _r(
        "legal-aftermath",
        TextClass.LEGAL_AFTERMATH,
        Signal.LEGAL,
        r"\b(?:settlements?|class[- ]action|lawsuits?|sued|sues|court|judge|jury|plaintiffs?|fined|penalty)\b",
        negatable=False,
    ),
    _r(
        "long-past",
        TextClass.LEGAL_AFTERMATH,
        Signal.PAST,
        r"\b(?:years?[- ]old|(?:\w+\s+)?years? (?:ago|earlier|after|on|later)|(?:19|20)\d\d)\b",
        negatable=False,
    ),
    _r(
        "patch-roundup",
        TextClass.ROUNDUP,
        Signal.ROUNDUP,
        r"\bpatch tuesday\b|\broundup\b|\bweek in review\b|\bmonthly (?:security )?(?:updates?|patches|bulletins?)\b|"
        r"\b(?:fix|fixes|fixed|patch|patches|patched|address|addresses|addressed)\s+(?:\d+|dozens of|scores of)\s+"
        r"(?:\w+\s+)?(?:flaws|vulnerabilities|bugs|security (?:holes|issues))\b",
        negatable=False,
    ),
    _r(
        "retrospective",
        TextClass.RETROSPECTIVE,
        Signal.RETROSPECTIVE,
        r"\blessons?(?: learned| from)?\b|\brecount(?:s|ed|ing)?\b|\blooks? back\b|\bretrospective\b|"
        r"\b(?:one|two|three|four|five|six|ten|\d+) years? (?:after|on|later|since)\b|"
        r"\binside\s+[\w\s-]{1,30}?['’]s\s+(?:response|handling)\b",
        negatable=False,
    ),
    _r(
        "staff-data",
        TextClass.THIRD_PARTY_STAFF_DATA,
        Signal.STAFF_DATA,
        r"\b(?:employees?|staff|personnel|workers)\b[^.;]{0,40}?\b(?:health|benefits?|medical|payroll|insurance|"
        r"records|files|data)\b",
        negatable=False,
    ),
    _r(
        "third-party-holder",
        TextClass.THIRD_PARTY_STAFF_DATA,
        Signal.THIRD_PARTY,
        r"\bthird[- ]party\b|\b(?:benefits?|payroll|health(?:care)?|insurance|HR|pension)[- ](?:plan\s+)?"
        r"(?:vendor|provider|administrator|firm|company|service)\b",
        negatable=False,
    ),
)
