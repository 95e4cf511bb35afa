"""Classify one item: incident kind, subject vs referenced vendors, confidence, and the evidence."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass

from vendorwatch.triage.background import apply_background
from vendorwatch.triage.lexicon import RULES, Rule, Signal, is_denied_after, is_hypothetical, is_negated
from vendorwatch.triage.matching import VendorIndex
from vendorwatch.triage.model import INCIDENT_KINDS, ItemText, Kind, NotIncidentReason, Subject, Triage
from vendorwatch.triage.roles import MentionCues, cues_for, first_person, share_across_lists

logger = logging.getLogger(__name__)

SUBJECT_THRESHOLD = 3
_TRUST_BONUS = {"vendor": 0.15, "government": 0.1, "news": 0.0}
_REASONS: tuple[tuple[Signal, NotIncidentReason], ...] = (
    ("phishing", "phishing-impersonation"),
    ("earnings", "earnings"),
    ("product-news", "product-news"),
    ("trend", "attack-trend"),
)


@dataclass(frozen=True)
class Hit:
    """One lexicon rule that matched, where, and the phrase it matched."""

    rule: Rule
    where: str
    phrase: str


def lexicon_hits(item: ItemText) -> list[Hit]:
    """All non-negated rule matches in the title and summary."""
    hits: list[Hit] = []
    for where, text in (("title", item.title), ("summary", item.summary)):
        for rule in RULES:
            for m in rule.pattern.finditer(text):
                if rule.negatable and _discounted(rule, text, m.start(), m.end()):
                    continue
                hits.append(Hit(rule, where, m.group()))
    return hits


def _discounted(rule: Rule, text: str, start: int, end: int) -> bool:
    """Negated phrases never count; exploitation counts only when reported, not when merely possible."""
    if is_negated(text, start, end) or is_denied_after(text, end):
        return True
    if rule.signal == "exploit":
        return is_hypothetical(text, start, end)
    # "could let an intruder in" is hypothetical; "stolen tokens could be used" still reports a theft.
    return rule.signal in ("breach", "credential") and is_hypothetical(text, start, end, after_too=False)


def decide_kind(hits: list[Hit]) -> tuple[Kind, NotIncidentReason | None]:
    """The incident kind from the signals; denials and thwarted attempts win over incident words."""
    n = Counter(h.rule.signal for h in hits)
    if n["exploit-scale"] and n["vuln"]:  # "a limited number of customers" affected by a flaw = exploited
        n["exploit"] += 1
    hard = [h for h in hits if h.rule.hard or (h.rule.signal == "exploit-scale" and n["vuln"])]
    if n["actor"] and n["scope"]:  # an attacker and an affected population: a breach told without verbs
        hard += [h for h in hits if h.rule.signal == "scope"][:1]
        n["breach"] += 1
    title_hard = sum(1 for h in hard if h.where == "title")
    # Lures, kits and trend pieces mention attacks in passing; they outweigh a lone incident phrase.
    noisy = n["phishing"] + n["trend"] > len(hard) + 2 * title_hard
    if (n["denial"] or n["thwarted"]) and n["outage"]:
        return "outage", None
    if n["denial"] or n["thwarted"] or not hard or noisy:
        if not (n["denial"] or n["thwarted"]) and n["vuln"]:
            return "vuln-advisory", None
        if not (n["denial"] or n["thwarted"]) and n["outage"]:
            return "outage", None
        reason = max(_REASONS, key=lambda r: (n[r[0]], -_REASONS.index(r)))
        return "not-incident", reason[1] if n[reason[0]] else "other"
    if n["exploit"]:
        return "exploited-vuln", None
    cred = sum(1 for h in hard if h.rule.signal == "credential")
    breach = sum(1 for h in hard if h.rule.signal in ("breach", "scope"))
    return ("credential-exposure" if cred > breach else "breach"), None


def _mention_cues(item: ItemText, index: VendorIndex) -> list[MentionCues]:
    mentions = index.find_item(item.title, item.summary, [item.url])
    out: list[MentionCues] = []
    for where, text in (("title", item.title), ("summary", item.summary)):
        cues = [cues_for(text, m) for m in mentions if m.where == where]
        for c in cues[1:]:  # only the first vendor named can open the title as its grammatical subject
            if where == "title" and c.mention.span[0] > cues[0].mention.span[1]:
                c.subject = [s for s in c.subject if s[0] != "grammatical-subject"]
                c.reporter = False
        share_across_lists(text, cues)
        out += cues
    apply_background({"title": item.title, "summary": item.summary}, out)
    out += [MentionCues(m) for m in mentions if m.where == "url"]
    return out


def resolve_subjects(
    item: ItemText, index: VendorIndex, cues: list[MentionCues], kind: Kind = "not-incident"
) -> tuple[dict[int, int], list[str]]:
    """Score each vendor (max over its mentions) and explain the decision."""
    scores: dict[int, int] = {}
    why: list[str] = []
    victims = {c.mention.vendor_id for c in cues if c.best_subject() >= 3 and not c.reporter}
    for c in cues:
        vid, net = c.mention.vendor_id, c.net()
        if c.reporter and victims - {vid}:
            net = min(net, 0)
            why.append(f'{index.name_of(vid)} referenced: reports on another vendor ("{c.mention.term}")')
        if any(name == "denied" for name, _ in c.ref):
            net = -99
        scores[vid] = min(scores.get(vid, net), net) if net < -50 else max(scores.get(vid, net), net)
        _explain(index, c, why)
    publisher = index.vendor_id_for_name(item.publisher_vendor)
    others_hit = victims - {publisher}
    # A vendor's own feed reporting an incident is about the vendor even when it never names itself.
    speaks = first_person(f"{item.title} {item.summary}") or publisher in scores or kind in INCIDENT_KINDS
    if publisher is not None and not others_hit and scores.get(publisher, 0) >= 0 and speaks:
        scores[publisher] = max(scores.get(publisher, 0), SUBJECT_THRESHOLD)
        why.append(f"subject {index.name_of(publisher)}: the vendor's own feed speaks of itself")
    return scores, why


def _explain(index: VendorIndex, c: MentionCues, why: list[str]) -> None:
    name = index.name_of(c.mention.vendor_id)
    for cue, _ in c.subject:
        why.append(f'subject {name}: {cue} of "{c.mention.term}" in {c.mention.where}')
    for cue, _ in c.ref:
        why.append(f'{name} referenced: {cue} of "{c.mention.term}" in {c.mention.where}')


def classify(item: ItemText, index: VendorIndex) -> Triage:
    """Classify one item against the registry index; every decision is recorded as evidence."""
    hits = lexicon_hits(item)
    kind, reason = decide_kind(hits)
    cues = _mention_cues(item, index)
    scores, why = resolve_subjects(item, index, cues, kind)
    roled = {c.mention.vendor_id for c in cues if c.ref and not c.names_incident}
    linked = {c.mention.vendor_id for c in cues if c.names_incident} | (set(scores) - roled)
    subjects = tuple(
        Subject(vid, "subject" if s >= SUBJECT_THRESHOLD else "referenced", vid in linked)
        for vid, s in sorted(scores.items())
    )
    evidence = [f'rule {h.rule.name}: "{h.phrase}" in {h.where}' for h in hits]
    evidence += list(dict.fromkeys(why))
    evidence.append(f"publisher trust: {item.trust}" + (f" ({item.publisher_vendor})" if item.publisher_vendor else ""))
    confidence = _confidence(kind, hits, item, any(s.role == "subject" for s in subjects), scores)
    logger.debug("classified %s as %s (%.2f)", item.url, kind, confidence)
    return Triage(kind, reason, subjects, round(confidence, 2), item.trust, tuple(evidence))


def _confidence(kind: Kind, hits: list[Hit], item: ItemText, has_subject: bool, scores: dict[int, int]) -> float:
    vuln = any(h.rule.signal == "vuln" for h in hits)
    hard = [h for h in hits if h.rule.hard or (h.rule.signal == "exploit-scale" and vuln)]
    if kind == "not-incident":
        return min(0.95, 0.5 + 0.1 * len(hits))
    conf = 0.25 + 0.15 * min(len(hard), 3) + (0.1 if any(h.where == "title" for h in hard) else 0.0)
    conf += _TRUST_BONUS[item.trust]
    best = max(scores.values(), default=0)
    if has_subject:  # a clearly identified victim makes the report more trustworthy
        conf += 0.15 + (0.05 if best > SUBJECT_THRESHOLD else 0.0)
    return max(0.05, min(0.99, conf))
