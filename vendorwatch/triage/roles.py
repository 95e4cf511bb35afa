"""Which named vendor is the subject of an item (the compromised one) and which are only referenced.

Each mention is scored from the words around it in its sentence: victim cues ("stolen X tokens",
"breach at X", "X security incident", X opening the title as the grammatical subject) against reference
cues ("its X repositories", "fake X login page", "such as X", "X-themed", "X itself was not hacked").
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from vendorwatch.triage import cues
from vendorwatch.triage.cue_classes import CUE_CLASS
from vendorwatch.triage.model import Mention

_I = re.IGNORECASE
_Cue = tuple[str, int, re.Pattern[str]]


def _c(name: str, weight: int, pattern: str, flags: int = _I) -> _Cue:
    return (name, weight, re.compile(pattern, flags))


_W = r"[\w$/.-]+"
_REVOKE = (
    r"\b(?:revok\w*|invalidat\w*|expir(?:es|ed|ing)|disabl\w*|switch(?:es|ed)? off|turn(?:s|ed)? off|void\w*|"
    r"rotat\w*|reset\w*|block\w*|suspend\w*|cut(?:s)? off|kill(?:s|ed)?)\b"
)
_HELD = r"\b(?:for|of|held by|used by|issued to|linked to|belonging to|tied to|connected to)"
# A revocation verb, then credentials (or apps) of someone: "revokes tokens for", "keys used by".
_ACTS_ON = (
    _REVOKE + r"[^.;]{0,60}?\b(?:tokens?|keys?|credentials?|certificates?|secrets|apps|integrations?|connections?)"
    r"\b[^.;]{0,40}?" + _HELD
)
# Words between a vendor and "was hacked" that are not a clause break ("X reported that some were stolen").
_NOUNISH = r"(?!(?:that|which|who|and|but|after|when|reported|said|says|told|believes)\b)[\w$/.-]+"
SUBJECT_BEFORE: tuple[_Cue, ...] = (
    _c(
        "victim-adjective",
        3,
        r"\b(?:stolen|leaked|exposed|compromised|hacked|breached|abused|misused|tainted|trojani[sz]ed|tampered|"
        r"backdoored)\s+$",
    ),
    _c(
        "incident-at",
        3,
        r"\b(?:breach|hack|intrusion|compromise|attack|incident|cyberattack)\s+(?:at|of|on|"
        r"against|involving|targeting|that targeted|affecting|hitting)\s+(?:the\s+)?$",
    ),
    _c(
        "victim-of-verb",
        3,
        r"\b(?:breached|hacked|compromised|exploited|infiltrated|raided|"
        r"to\s+(?:hack|breach|compromise|infiltrate))\s+(?:the\s+)?$",
    ),
    _c(
        "taken-from",
        3,
        r"\b(?:issued to|belonging to|belonged to|stolen from|taken from|came from|copied from|"
        r"exfiltrated from|leaked from|inside|within)\s+(?:the\s+)?$",
    ),
    _c(
        "flaw-in",
        3,
        r"\b(?:zero-days?|0-days?|flaws?|vulnerabilit(?:y|ies)|bugs?|CVE-\d{4}-\d+)\s+(?:in|affecting|"
        r"impacting)\s+(?:the\s+)?$",
    ),
    _c("access-to", 2, r"\b(?:access to|accessed|into)\s+$"),
    # Class *a platform acts against an integration*: "Acme revokes tokens for BetaCo's connected apps".
    _c("credentials-of", 3, _ACTS_ON + r"\s+(?:\w+\s+){0,2}?$"),
    # Class *stolen from A to reach B*: "took OAuth tokens from BetaCo Chat to raid ...".
    _c("taken-from", 3, r"\b(?:stole|took|taken|stolen|lifted|grabbed|obtained|pulled)\s+(?:[\w-]+\s+){0,4}?from\s+$"),
)
SUBJECT_AFTER: tuple[_Cue, ...] = (
    _c(
        "incident-noun",
        3,
        r"^(?:['’]s)?(?:\s+" + _W + r"){0,2}?\s+(?:data breach|breach|hack|security incident|"
        r"incident report|incident|intrusion|compromise|zero-days?|0-days?|flaws?|vulnerabilit(?:y|ies)|bugs?|"
        r"CVE-\d{4}-\d+|statement|security notification|security advisory|outage)\b",
    ),
    _c(
        "possessive-loss",
        3,
        r"^['’]s(?:\s+" + _W + r"){1,3}?\s+(?:stolen|leaked|exposed|hacked|breached|"
        r"compromised|accessed|copied)\b",
    ),
    _c("hacked", 3, r"^\s+(?:was\s+|is\s+|gets\s+|got\s+|has been\s+)?(?:hacked|breached|compromised)\b"),
    _c(
        "passive-breach",
        2,
        r"^(?:['’]s)?(?:\s+" + _NOUNISH + r"){0,3}?\s+(?:was|were|has been|have been|had been)\s+"
        r"(?:hacked|breached|compromised|stolen|accessed|exposed|leaked|cloned)\b",
    ),
)
REF_BEFORE: tuple[_Cue, ...] = (
    _c("possessed", 2, r"\b(?:its|their|our|his|her|your|my)\s+(?:own\s+|hosted\s+|internal\s+)?$"),
    # "last month's X breach" is a time, not an owner.
    _c("possessed", 2, r"\b(?!(?:days?|weeks?|months?|years?|quarters?|today|yesterday|weekend)['’])[\w-]+['’]s?\s+$"),
    _c(
        "impersonated",
        3,
        r"\b(?:fake|bogus|spoofed|look-?alike|counterfeit|impersonat\w+|posing as|pretending "
        r"to be|fake of|clone of|phony)\s+(?:(?:the|a|an|our|its|their)\s+)?(?:[\w/-]+\s+){0,3}$",
    ),
    _c("enumerated", 2, r"\b(?:such as|like|including|e\.g\.)\s+$"),
    _c("parent", 2, r"\b(?:owned by|part of|acquired by|subsidiary of)\s+(?:the\s+)?$"),
    _c("quoted-word", 2, r"['‘\"“]$"),
)
REF_AFTER: tuple[_Cue, ...] = (
    _c("impersonated", 3, r"^-(?:themed|branded|styled|lookalike|like)\b"),
    _c("parent", 2, r"^-(?:owned|backed)\s+[A-Z]", 0),
    # The name as a modifier of someone else's thing: "Okta-protected accounts", "GitHub-hosted runners".
    _c("modifier", 3, r"^-(?:protected|based|powered|hosted|managed|enabled|connected|integrated|secured|using)\b"),
    _c("population", 2, r"^\s+(?:users|customers|subscribers|admins|administrators|tenants|accounts)\b"),
    _c("notifier", 2, r"^\s+(?:alerted|notified|informed|told|warned)\s+us\b"),
    _c("researcher", 2, r"^\s+(?:threat\s+|security\s+)?(?:researchers?|intelligence|analysts)\b"),
    _c(
        "denied",
        9,
        r"^\s+(?:says|said|insists|maintains|stresses)\s+(?:that\s+)?its\s+(?:[\w-]+\s+){0,3}?(?:was|were|is|are|has|had)"
        r"\s+(?:not|never)\s+(?:been\s+)?(?:hacked|breached|compromised|affected|impacted)\b",
    ),
    _c(
        "denied",
        9,
        r"^\s*(?:\([^)]{0,60}\)\s*)?(?:itself\s+|themselves\s+|(?:code|data|systems?)\s+)?(?:was|were|is|are|has|had)"
        r"\s+(?:not|never)\s+(?:been\s+)?(?:hacked|breached|compromised|affected|impacted|involved)\b",
    ),
    _c("login-page", 2, r"^\s+(?:sign-in|login|log-in|sign in|log in)\s+(?:pages?|portals?|sites?)\b"),
)
_REPORTING = re.compile(
    r"^\s+(?:says|said|ties|links|attributes|reports|reported|warns|finds|found|tracks|"
    r"details|describes)\b",
    _I,
)
# Class *a vendor reports its own incident*: the reported clause makes "its" the patient of an incident.
_OWN_INCIDENT_REPORTED = re.compile(
    r"^\s+(?:says|said|confirms|confirmed|reports|reported|disclosed|admits|admitted|told \w+)\b[^.;]{0,60}?"
    r"(?:\b(?:attack|breach|intrusion|incident|compromise|hack|ransomware)\s+(?:on|of|at|against|into|in)\s+its\b|"
    r"\bits\s+(?:[\w-]+\s+){0,3}?(?:was|were|had been|has been)\s+"
    r"(?:hacked|breached|compromised|accessed|encrypted)\b)",
    _I,
)
# A lower-case descriptor before a name at the start of a clause ("CI/CD provider", "Password manager").
_DESCRIPTOR = re.compile(
    r"(?:[A-Z][\w/-]*\s+)?(?:[a-z][\w/-]*\s+){0,3}(?:firm|company|provider|maker|vendor|giant|developer|service|"
    r"platform|manager|startup|supplier|specialist)\s+",
)
# The vendor's product as the way in: "through the X uploader", "via the X support portal".
_THROUGH_BEFORE = re.compile(r"\b(?:through|via|using|with)\s+(?:the\s+|a\s+|an\s+)?$", _I)
_INSTRUMENT_AFTER = re.compile(
    r"^(?:\s+[\w-]+)?\s+(?:scripts?|uploaders?|software|tools?|apps?|integrations?|portals?|updates?|installers?|"
    r"plugins?|extensions?|accounts?|servers?|platform|service|tokens?|credentials?)\b",
    _I,
)
# Whose credentials they are: "X's connected apps", "X users", "X integrations" (not "the X integration").
_HOLDER_AFTER = re.compile(
    r"^(?:['’]s\b|\s+(?:users?|customers?|clients?|tenants?|accounts?|admins?|administrators?|developers?|"
    r"integrations|apps|connected apps|connections)\b)",
    _I,
)
_AGENT_OF_REVOCATION = re.compile(r"^(?:\s+[\w-]+){0,2}?\s+" + _ACTS_ON, _I)
_PREDICATE = re.compile(r"^(?:['’]s)?\s+(?:[a-z][\w-]*|[A-Z][a-z]+(?:s|ed|ing))\b")
_JOINER = re.compile(r"^\s*(?:,\s*(?:and|or)?|and|or|&)\s*$")
_FIRST_PERSON = re.compile(r"\b(?:we|our|us)\b", _I)


@dataclass
class MentionCues:
    """The cues found around one mention, with its net score."""

    mention: Mention
    subject: list[tuple[str, int]] = field(default_factory=list)
    ref: list[tuple[str, int]] = field(default_factory=list)
    reporter: bool = False
    names_incident: bool = False

    def best_subject(self) -> int:
        """The strongest victim cue weight."""
        return max((w for _, w in self.subject), default=0)

    def best_ref(self) -> int:
        """The strongest reference cue weight."""
        return max((w for _, w in self.ref), default=0)

    def net(self) -> int:
        """Victim strength minus reference strength, with a bonus for being in the title."""
        return self.best_subject() - self.best_ref() + (1 if self.mention.where == "title" else 0)


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The start and end of the sentence (or clause after ";") holding text[start:end]."""
    lo = max((m.end() for m in re.finditer(r"[.!?;]\s+", text[:start])), default=0)
    hi_m = re.search(r"[.!?;](?:\s|$)", text[end:])
    return lo, end + hi_m.start() if hi_m else len(text)


def cues_for(text: str, m: Mention) -> MentionCues:
    """Score one mention from the words around it within its sentence."""
    lo, hi = sentence_bounds(text, *m.span)
    before, after = text[lo : m.span[0]], text[m.span[1] : hi]
    mc = MentionCues(m)
    for name, w, pat in SUBJECT_BEFORE:
        if pat.search(before) and not _negated_before(before):
            mc.subject.append((name, w))
    for name, w, pat in SUBJECT_AFTER:
        if pat.search(after):
            mc.subject.append((name, w))
    if _THROUGH_BEFORE.search(before) and _INSTRUMENT_AFTER.match(after):  # "reached through the X script"
        mc.subject.append(("instrument", 1))
    if not before.strip() and _OWN_INCIDENT_REPORTED.match(after):  # "X says the attack on its servers"
        mc.subject.append(("reports-own-incident", 3))
    for name, w, pat in REF_BEFORE:
        if pat.search(before):
            mc.ref.append((name, w))
    for name, w, pat in REF_AFTER:
        if pat.search(after):
            mc.ref.append((name, w))
    if ("credentials-of", 3) in mc.subject and not _HOLDER_AFTER.match(after):
        mc.subject.remove(("credentials-of", 3))  # "tokens for the X integration": X is the platform, not the holder
    if ("credentials-of", 3) in mc.subject:  # "tokens held by X users": the users are X's, X is the victim
        mc.ref = [r for r in mc.ref if r[0] not in ("population", "possessed")]
    if re.search(r"\bafter\s+$", before, _I) and _REPORTING.match(after):
        mc.ref.append(("notifier", 2))
    clause_start = (
        not before.strip()
        or (m.where == "title" and re.fullmatch(r"[^:]*:\s*", before))
        or bool(_DESCRIPTOR.fullmatch(before))  # "Email security firm X says": X opens the clause
    )
    if clause_start and _PREDICATE.match(after) and not after.startswith("-"):
        mc.subject.append(("grammatical-subject", 2 if m.where == "title" else 1))
        # The agent revoking another party's credentials acts, like a reporter, on someone else's incident.
        mc.reporter = bool(_REPORTING.match(after) or _AGENT_OF_REVOCATION.match(after))
    elif m.where == "title" and not before.strip() and after.startswith(":"):  # "Vendor: hackers stole ..."
        mc.subject.append(("grammatical-subject", 2))
        mc.reporter = True
    return mc


def _negated_before(before: str) -> bool:
    return bool(re.search(cues.NEGATION.pattern + r"[^,;:]{0,30}$", before, _I))


def share_across_lists(text: str, cues: list[MentionCues]) -> None:
    """Mentions joined by "and"/commas ("stolen Heroku and Travis CI tokens") share their cues."""
    ordered = sorted(cues, key=lambda c: c.mention.span)
    for a, b in itertools.pairwise(ordered):
        if _JOINER.match(text[a.mention.span[1] : b.mention.span[0]]):
            merged_s = {*a.subject, *b.subject} - {("grammatical-subject", 2), ("grammatical-subject", 1)}
            merged_r = {*a.ref, *b.ref}
            for c in (a, b):
                c.subject = sorted({*c.subject, *merged_s})
                c.ref = sorted({*c.ref, *merged_r})


def first_person(text: str) -> bool:
    """True if the text speaks as "we"/"our" (a vendor writing about itself)."""
    return bool(_FIRST_PERSON.search(text))


def _validate() -> None:
    """Every role cue states its class of text (checked at import)."""
    names = {c[0] for t in (SUBJECT_BEFORE, SUBJECT_AFTER, REF_BEFORE, REF_AFTER) for c in t}
    names |= {"grammatical-subject", "reports-own-incident", "instrument"}
    if missing := sorted(names - CUE_CLASS.keys()):
        raise ValueError(f"role cues without a class of text: {missing}")


_validate()
