"""Which kind of report an item is, from the signals of the phrase rules that matched it."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from registry.vocab import IncidentKind
from vendorwatch.triage.lexicon import is_denied_after, is_hypothetical, is_negated
from vendorwatch.triage.model import ItemText, NotIncidentReason
from vendorwatch.triage.rules import RULES, Rule, Signal

S = Signal
_REASONS: tuple[tuple[Signal, NotIncidentReason], ...] = (
    (S.PHISHING, "phishing-impersonation"),
    (S.EARNINGS, "earnings"),
    (S.PRODUCT_NEWS, "product-news"),
    (S.TREND, "attack-trend"),
)


@dataclass(frozen=True)
class Hit:
    """One lexicon rule that matched, where, and the phrase it matched."""

    rule: Rule
    where: str
    phrase: str
    start: int = 0


# Every rule in one pattern (they share their flags and hold no groups): one scan tells that a text matches no
# rule at all, which is what most of a feed's text does, for about the price of scanning it with two rules.
_ANY_RULE = re.compile("|".join(f"(?:{rule.pattern.pattern})" for rule in RULES), re.IGNORECASE)
assert all(rule.pattern.flags == _ANY_RULE.flags and not rule.pattern.groups for rule in RULES)


def lexicon_hits(item: ItemText) -> list[Hit]:
    """All non-negated rule matches in the title and summary."""
    hits: list[Hit] = []
    for where, text in (("title", item.title), ("summary", item.summary)):
        if _ANY_RULE.search(text) is None:
            continue
        for rule in RULES:
            for m in rule.pattern.finditer(text):
                if rule.negatable and _discounted(rule, text, m.start(), m.end()):
                    continue
                hits.append(Hit(rule, where, m.group(), m.start()))
    return hits


def _discounted(rule: Rule, text: str, start: int, end: int) -> bool:
    """Negated phrases never count; exploitation counts only when reported, not when merely possible."""
    if is_negated(text, start, end) or is_denied_after(text, end):
        return True
    if rule.signal == S.EXPLOIT:
        return is_hypothetical(text, start, end)
    # "could let an intruder in" is hypothetical; "stolen tokens could be used" still reports a theft.
    return rule.signal in (S.BREACH, S.CREDENTIAL) and is_hypothetical(text, start, end, after_too=False)


def _not_a_new_incident(n: Counter[Signal]) -> NotIncidentReason | None:
    """Classes that tell of no new breach of the vendor whatever their incident words say."""
    if n[S.ROUNDUP]:  # a roundup of many flaws or stories: no single incident of one vendor
        return "roundup"
    if n[S.RETROSPECTIVE]:  # an essay or anniversary piece retelling a past incident
        return "retrospective"
    if n[S.STAFF_DATA] and n[S.THIRD_PARTY]:  # the vendor's staff data leaked at its benefits provider
        return "third-party-staff-data"
    if n[S.LEGAL] and n[S.PAST]:  # "court approves settlement over the 2019 breach"
        return "legal-aftermath"
    return None


def decide_kind(hits: list[Hit], own_voice: bool = False) -> tuple[IncidentKind, NotIncidentReason | None]:
    """The incident kind from the signals; denials, thwarted attempts and non-incident classes win.

    `own_voice`: a vendor's own feed speaking in the first person, where a rotation it reports is an exposure.
    """
    n = Counter(h.rule.signal for h in hits)
    if n[S.EXPLOIT_SCALE] and n[S.VULN]:  # "a limited number of customers" affected by a flaw = exploited
        n[S.EXPLOIT] += 1
    hard = [h for h in hits if h.rule.hard or (h.rule.signal == S.EXPLOIT_SCALE and n[S.VULN])]
    if n[S.ACTOR] and n[S.SCOPE]:  # an attacker and an affected population: a breach told without verbs
        hard += [h for h in hits if h.rule.signal == S.SCOPE][:1]
        n[S.BREACH] += 1
    if own_voice:  # class *quiet rotation*: "we reset all API keys as a precaution"
        hard += [h for h in hits if h.rule.signal == S.ROTATED]
    title_hard = sum(1 for h in hard if h.where == "title")
    # Lures, kits and trend pieces mention attacks in passing; they outweigh a lone incident phrase. A vendor
    # telling of its own incident names the phishing that got the attacker in, which is not a lure story.
    noisy = n[S.PHISHING] + n[S.TREND] > (2 if own_voice else 1) * len(hard) + 2 * title_hard
    vetoed = n[S.DENIAL] or n[S.THWARTED]
    if vetoed and n[S.OUTAGE]:
        return IncidentKind.outage, None
    if (other := _not_a_new_incident(n)) is not None:
        return IncidentKind.not_incident, other
    if vetoed or not hard or noisy:
        if not vetoed and n[S.VULN]:
            return IncidentKind.vuln_advisory, None
        if not vetoed and n[S.OUTAGE]:
            return IncidentKind.outage, None
        reason = max(_REASONS, key=lambda r: (n[r[0]], -_REASONS.index(r)))
        return IncidentKind.not_incident, reason[1] if n[reason[0]] else "other"
    if n[S.EXPLOIT]:
        return IncidentKind.exploited_vuln, None
    cred = sum(1 for h in hard if h.rule.signal in (S.CREDENTIAL, S.ROTATED))
    breach = sum(1 for h in hard if h.rule.signal in (S.BREACH, S.SCOPE))
    return (IncidentKind.credential_exposure if cred > breach else IncidentKind.breach), None
