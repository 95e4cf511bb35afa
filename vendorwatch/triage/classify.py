"""Classify one item: incident kind, subject vs referenced vendors, confidence, and the evidence."""

from __future__ import annotations

import logging

from registry.vocab import ACTIONABLE_KINDS, IncidentKind, Trust
from vendorwatch.triage.background import apply_background
from vendorwatch.triage.cue_classes import cue_class
from vendorwatch.triage.kind import Hit, decide_kind, lexicon_hits
from vendorwatch.triage.matching import VendorIndex
from vendorwatch.triage.model import ItemText, Subject, Triage
from vendorwatch.triage.roles import MentionCues, cues_for, first_person, sentence_bounds, share_across_lists
from vendorwatch.triage.rules import Signal

logger = logging.getLogger(__name__)

SUBJECT_THRESHOLD = 3
TRUST_BONUS: dict[Trust, float] = {Trust.vendor: 0.15, Trust.government: 0.1, Trust.news: 0.0}


def _mention_cues(item: ItemText, index: VendorIndex, publisher_incident: bool = False) -> list[MentionCues]:
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
    apply_background({"title": item.title, "summary": item.summary}, out, publisher_incident)
    out += [MentionCues(m) for m in mentions if m.where == "url"]
    return out


def resolve_subjects(
    item: ItemText,
    index: VendorIndex,
    cues: list[MentionCues],
    kind: IncidentKind = IncidentKind.not_incident,
    hits: list[Hit] | None = None,
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
    # Class *a customer's own post about its breach caused by a vendor's earlier one*: "an attacker reached our
    # wiki with credentials taken in the Acme compromise" is the publisher's incident whatever else it names.
    own_incident = first_person_incident(item, lexicon_hits(item) if hits is None else hits)
    others_hit = set() if own_incident else victims - {publisher}
    # A vendor's own feed reporting an incident is about the vendor even when it never names itself.
    speaks = first_person(f"{item.title} {item.summary}") or publisher in scores or kind in ACTIONABLE_KINDS
    if publisher is not None and not others_hit and scores.get(publisher, 0) >= 0 and speaks:
        scores[publisher] = max(scores.get(publisher, 0), SUBJECT_THRESHOLD)
        why.append(f"subject {index.name_of(publisher)}: the vendor's own feed speaks of itself")
    elif kind in ACTIONABLE_KINDS and publisher is None:
        _lone_vendor(index, cues, scores, why)
    return scores, why


def first_person_incident(item: ItemText, hits: list[Hit]) -> bool:
    """A vendor's own feed tells, in the first person, of an incident in the same sentence."""
    if item.trust != Trust.vendor or not item.publisher_vendor:
        return False
    texts = {"title": item.title, "summary": item.summary}
    for h in hits:
        if h.rule.hard:
            text = texts[h.where]
            lo, hi = sentence_bounds(text, h.start, h.start + len(h.phrase))
            if first_person(text[lo:hi]):
                return True
    return False


def _lone_vendor(index: VendorIndex, cues: list[MentionCues], scores: dict[int, int], why: list[str]) -> None:
    """Class *default subject*: an incident report naming one registry vendor, in no other role, is about it."""
    if any(s >= SUBJECT_THRESHOLD for s in scores.values()):
        return
    roled = {c.mention.vendor_id for c in cues if c.ref}
    named = {c.mention.vendor_id for c in cues if c.mention.where != "url"}
    # Named as an agent or instrument somewhere (a subject cue), not merely mentioned ("Okta-protected accounts").
    cued = {c.mention.vendor_id for c in cues if c.subject}
    plain = [vid for vid in (named & cued) - roled if scores.get(vid, 0) > 0]
    if len(plain) == 1 and len(named) == 1:
        scores[plain[0]] = SUBJECT_THRESHOLD
        why.append(
            f"subject {index.name_of(plain[0])}: the only vendor an incident report names (class: default subject)"
        )


def _explain(index: VendorIndex, c: MentionCues, why: list[str]) -> None:
    name = index.name_of(c.mention.vendor_id)
    for cue, _ in c.subject:
        why.append(f'subject {name}: {cue} of "{c.mention.term}" in {c.mention.where} (class: {cue_class(cue)})')
    for cue, _ in c.ref:
        why.append(f'{name} referenced: {cue} of "{c.mention.term}" in {c.mention.where} (class: {cue_class(cue)})')


def _story_vendors(cues: list[MentionCues], scores: dict[int, int]) -> set[int]:
    """Vendors whose incident the item may continue: it names their incident, or (when it names no victim)
    it names them in no other role (not an owner, notifier, lure brand, denial, reporter or revoking agent)."""
    linked = {c.mention.vendor_id for c in cues if c.names_incident}
    if any(s >= SUBJECT_THRESHOLD for s in scores.values()):
        return linked
    roled = {c.mention.vendor_id for c in cues if (c.ref or c.reporter) and not c.names_incident}
    return linked | (set(scores) - roled)


def classify(item: ItemText, index: VendorIndex) -> Triage:
    """Classify one item against the registry index; every decision is recorded as evidence."""
    hits = lexicon_hits(item)
    own_voice = (
        item.trust == Trust.vendor and bool(item.publisher_vendor) and first_person(f"{item.title} {item.summary}")
    )
    kind, reason = decide_kind(hits, own_voice)
    cues = _mention_cues(item, index, first_person_incident(item, hits))
    scores, why = resolve_subjects(item, index, cues, kind, hits)
    linked = _story_vendors(cues, scores)
    named = {c.mention.vendor_id for c in cues if c.names_incident}
    subjects = tuple(
        Subject(vid, "subject" if s >= SUBJECT_THRESHOLD else "referenced", vid in linked, vid in named)
        for vid, s in sorted(scores.items())
    )
    evidence = [f'rule {h.rule.name} (class: {h.rule.cls}): "{h.phrase}" in {h.where}' for h in hits]
    evidence += list(dict.fromkeys(why))
    evidence.append(f"publisher trust: {item.trust}" + (f" ({item.publisher_vendor})" if item.publisher_vendor else ""))
    confidence = _confidence(kind, hits, item, any(s.role == "subject" for s in subjects), scores)
    logger.debug("classified %s as %s (%.2f)", item.url, kind, confidence)
    return Triage(kind, reason, subjects, round(confidence, 2), item.trust, tuple(evidence))


def _confidence(
    kind: IncidentKind, hits: list[Hit], item: ItemText, has_subject: bool, scores: dict[int, int]
) -> float:
    vuln = any(h.rule.signal == Signal.VULN for h in hits)
    hard = [h for h in hits if h.rule.hard or (h.rule.signal == Signal.EXPLOIT_SCALE and vuln)]
    if kind == IncidentKind.not_incident:
        return min(0.95, 0.5 + 0.1 * len(hits))
    conf = 0.25 + 0.15 * min(len(hard), 3) + (0.1 if any(h.where == "title" for h in hard) else 0.0)
    conf += TRUST_BONUS[item.trust]
    best = max(scores.values(), default=0)
    if has_subject:  # a clearly identified victim makes the report more trustworthy
        conf += 0.15 + (0.05 if best > SUBJECT_THRESHOLD else 0.0)
    return max(0.05, min(0.99, conf))
