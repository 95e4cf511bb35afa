"""Regex lexicons behind the change triggers, and the cues that cancel a match (negation, hedging, addressees).

Every pattern describes a kind of development in general words (an incident noun with a widening verb, a
universal quantifier with an impact verb, stolen material used to get in), never one report's phrasing.
"""

from __future__ import annotations

import re

from vendorwatch.triage import cues

# Who or what an incident reaches: the population whose size a scope expansion changes.
WHO = (
    r"(?:customers?|users?|tenants?|accounts?|organi[sz]ations?|companies|company|clients?|instances?|"
    r"integrations?|workspaces?|environments?|connections?|systems?|repositor(?:y|ies)|subscribers?|"
    r"employees?|records?|orgs?)"
)
ACTOR = r"(?:attackers?|threat actors?|hackers?|intruders?|adversar(?:y|ies)|criminals|the (?:group|gang|actors?)|they)"
MATERIAL = r"(?:session )?(?:tokens?|cookies?|sessions?|keys?|secrets?|credentials?|passwords?)"
# Nouns naming the incident itself, so that "widens" or "spread" is about the incident, not a product.
INCIDENT = r"(?:breach|theft|incident|attack|intrusion|compromise|campaign|hack|leak|exposure|fallout|scope)"
IMPACT = r"(?:affected|impacted|compromised|exposed|accessed|breached|stolen|taken|exfiltrated|at risk)"
_DET = r"(?:(?:its|their|the|our|of) ){0,2}"
_NOT_RELATIVE = r"(?:(?!\b(?:that|who|which|whose)\b)[^.;:]){0,40}?"

SCOPE: tuple[str, ...] = (
    # an incident noun with a widening verb: "the intrusion has expanded", "theft widens to ..."
    rf"\b{INCIDENT}(?:'s \w+)? (?:(?:has|have|had|now|further|again|also|is|was) ){{0,2}}"
    r"(?:widen|expand|broaden|spread|extend|grow|grew|escalat)\w*(?: (?:to|into)(?: [\w'-]+){1,8})?",
    rf"\b{INCIDENT}\b[^.;:]{{0,60}}?\b(?:went|goes|go|extends?|extended|spread|reach(?:ed|es)?) beyond\b",
    r"\b(?:expanded|widened|widens|widening|broadened) (?:the )?(?:scope|number|list|investigation)\b",
    # more reached than known: "attackers also reached X", "tokens ... were also taken"
    rf"\b{ACTOR} (?:[\w'-]+ ){{0,2}}?also (?:reached|accessed|breached|compromised|stole|took|obtained|"
    r"exfiltrated|hit|got into|gained access)\b",
    rf"\b(?:were|was|have been|has been|had been) also (?:{IMPACT}|used to \w+)\b",
    # a universal quantifier with an impact verb: "affects every customer", "all X were compromised"
    rf"\b(?:affect|impact|expose|compromise|hit)(?:s|ed|ing)? (?:the data of )?(?:all|every|each) "
    rf"{_DET}(?!affected\b|impacted\b)(?:[\w-]+ ){{0,4}}{WHO}\b",
    rf"\b(?:all|every|each) {_DET}(?!affected\b|impacted\b|notified\b)(?:[\w-]+ ){{0,4}}?{WHO}\b"
    rf"{_NOT_RELATIVE}\b(?:are|were|is|was|be|been) (?:\w+ ){{0,2}}?{IMPACT}\b",
    # comparatives against the first account: "more accounts were affected than previously disclosed"
    r"\bmore (?:[\w-]+ ){0,5}?than (?:initially|first|originally|previously|earlier)\b",
    r"\b(?:larger|broader|wider|bigger|worse) than (?:initially|first|originally|previously)\b",
    r"\bthan (?:initially|first|originally|previously) (?:believed|reported|thought|disclosed|estimated)\b",
    r"\bscope (?:of the \w+ )?(?:has )?(?:expanded|widened|grew|increased)\b",
    rf"\b(?:additional|further|more|other) {WHO} (?:were |are |have been |had been )?(?:also )?{IMPACT}\b",
    rf"\bnumber of {IMPACT} {WHO}[^.;:]{{0,30}}?\b(?:rose|rises|grew|grows|increased|climbed|doubled|tripled)\b",
)
# What stolen material is used for once abuse is confirmed.
_ABUSE_VERB = (
    r"(?:access|hijack|log in|sign in|impersonate|reach|breach|take over|clone|download|copy|exfiltrate|"
    r"steal|raid|read|export|pivot)\w*\b"
)
ABUSE: tuple[str, ...] = (
    rf"\bused (?:(?!an?\b)[\w-]+ ){{0,3}}?{MATERIAL} (?:[\w-]+ ){{0,4}}?to {_ABUSE_VERB}",
    r"\breplay(?:ed|ing)\b",
    r"\bhijack(?:ed|ing|s)?\b",
    rf"\bconfirm(?:ed|s) (?:that )?(?:the )?{ACTOR} (?:had )?(?:used|accessed|abused|stole|exfiltrated)\b",
    rf"\b{MATERIAL} (?:[\w-]+ ){{0,6}}?(?:was|were|had been|have been|being) used to {_ABUSE_VERB}",
    rf"\bused (?:them|it|those|these) to {_ABUSE_VERB}",
    r"\b(?:abused|misused) (?:the )?(?:stolen )?\w+\b",
    rf"\b(?:abusing|misusing|misuse of|abuse of) (?:[\w-]+ ){{0,3}}?{MATERIAL}",
    r"\b(?:(?:actively|being|widely) |mass-)?exploited "
    r"(?:in (?:the wild|attacks)|to (?:breach|hack|compromise|steal))\b",
    r"\b(?:(?:actively|being|widely) |mass-)exploited\b",
    r"\b(?:active|widespread|ongoing) exploitation\b|\bexploitation in the wild\b",
)
ROOT_CAUSE: tuple[str, ...] = (
    r"\broot[- ]cause\b",
    r"\bconclud(?:ed|es|ing) (?:its|our|the|their) (?:investigation|review|forensic)",
    r"\b(?:final|forensic) (?:forensic )?(?:report|analysis|investigation)\b",
    r"\bbehind (?:the |its |our |this )?(?:(?!(?:on|in|of|for|to|with)\b)[\w-]+ ){0,2}?"
    r"(?:breach|intrusion|incident|compromise|hack|outage)\b",
    rf"\bhow (?:the )?{ACTOR} (?:got in|gained|obtained|accessed|broke|entered)\b",
    r"\b(?:our|its|the) investigation (?:found|determined|showed|revealed|established)\b",
    r"\b(?:post-?mortem|incident report|initial access vector)\b",
)

# Negation cancels every lexicon ("no evidence that", "did not find", "has not yet"); "not only" widens.
# Hedging cancels what must be confirmed (abuse, a root cause): may/could/whether, work still to do.
# Both lists are shared with triage (vendorwatch.triage.cues).
NEGATION = cues.NEGATION
HEDGE = cues.HEDGE
# A remediation or notice addressed to a population names who must act, not who was hit:
# "asks all customers to rotate keys", "notified every affected tenant".
ADDRESSEE = re.compile(
    r"\b(?:ask|urge|recommend|advise|tell|telling|told|instruct|encourage|require|remind|notif(?:y|ie|ied|ying)|"
    r"contact|email|inform)\w* (?:[\w-]+ ){0,2}$",
    re.I,
)
# Clause boundaries: cues on the far side of one do not reach the match.
BOUNDARY = re.compile(r"[.;:!?](?:\s|$)|,? \b(?:but|although|though|whereas|however|while)\b", re.I)


def compile_all(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """Case-insensitive compiled forms of a lexicon."""
    return tuple(re.compile(p, re.I) for p in patterns)
