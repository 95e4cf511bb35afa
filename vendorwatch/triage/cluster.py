"""Fold reports of one incident into one: same vendor, close in time, signatures that do not clash."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import timedelta

from registry.vocab import IncidentKind
from vendorwatch.triage import cues
from vendorwatch.triage.matching import is_sentence_initial
from vendorwatch.triage.model import IncidentSnapshot, ItemText, Triage
from vendorwatch.triage.words import is_common_word

# Follow-ups (root cause, scope changes, other outlets) arrive days to weeks later; a new incident of the
# same vendor is usually months apart.
JOIN_WINDOW = timedelta(days=60)
# A shared CVE or campaign id keeps joining for longer (exploitation waves are reported for months).
SHARED_ID_WINDOW = timedelta(days=180)

_CVE = re.compile(r"\bCVE-\d{4}-\d{4,}\b", re.IGNORECASE)
_CODE = re.compile(r"\b[A-Za-z]+-?\d+[A-Za-z0-9]*(?:-\d+)?\b")
_PROPER = re.compile(r"\b[A-Z][\w$]+")


def signature_of(item: ItemText, triage: Triage) -> frozenset[str]:
    """Distinctive terms of an item: CVE ids, actor/campaign codes and uncommon proper nouns."""
    del triage  # the signature is textual; kept in the signature for callers that may refine it
    terms: set[str] = set()
    for text in (item.title, item.summary):
        terms |= {"cve:" + m.group().upper() for m in _CVE.finditer(text)}
        terms |= {
            "id:" + m.group().lower()
            for m in _CODE.finditer(text)
            if not _CVE.fullmatch(m.group()) and not m.group().isdigit() and any(c.isalpha() for c in m.group())
        }
        for m in _PROPER.finditer(text):
            word = m.group().rstrip("$")
            if len(word) > 2 and not is_common_word(word) and not is_sentence_initial(text, m.start()):
                terms.add("name:" + word.lower())
    return frozenset(terms)


def _cves(sig: frozenset[str]) -> frozenset[str]:
    return frozenset(t for t in sig if t.startswith("cve:"))


def ids_of(sig: frozenset[str]) -> frozenset[str]:
    """The CVE and actor/campaign ids of a signature (shared ids tie reports together)."""
    return frozenset(t for t in sig if t.startswith(("cve:", "id:")))


def kinds_compatible(item_kind: IncidentKind, incident_kind: IncidentKind) -> bool:
    """Availability reports and security reports are different incidents; security kinds fold together."""
    return (item_kind == IncidentKind.outage) == (incident_kind == IncidentKind.outage)


# "a second breach", "another intrusion": a new event of the vendor, however it names the earlier one.
_NEW_EVENT = re.compile(
    r"\b(?:second|third|another|new|fresh|renewed|latest|separate)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:breach|hack|intrusion|incident|attack|compromise|leak)",
    re.IGNORECASE,
)


def _denied(before: str) -> bool:
    """A negator among the few words before ("do not reflect a new incident")."""
    return bool(cues.NEGATION.search(" ".join(before.split()[-4:])))


def _window(triage: Triage, vendor_id: int, item: ItemText, shared_id: bool) -> timedelta:
    """How far apart a report may be from an incident it joins.

    Class *the story continues*: a report naming the vendor's incident as the source of what it tells
    ("data stolen in the December X breach") joins for as long as a shared id would, unless it says the
    event is a new one.
    """
    named = any(s.vendor_id == vendor_id and s.names_incident for s in triage.subjects)
    text = f"{item.title} {item.summary}"
    new_event = any(not _denied(text[: m.start()]) for m in _NEW_EVENT.finditer(text))
    if shared_id or (named and not new_event):
        return SHARED_ID_WINDOW
    return JOIN_WINDOW


def choose_incident(
    triage: Triage, vendor_id: int, item: ItemText, candidates: Sequence[IncidentSnapshot]
) -> int | None:
    """The id of the open incident this item belongs to for `vendor_id`, or None to open a new one."""
    if triage.kind == IncidentKind.not_incident:
        return None
    sig = signature_of(item, triage)
    best: tuple[timedelta, float, int] | None = None
    for inc in candidates:
        if inc.vendor_id != vendor_id:
            continue
        when = item.published or inc.last_activity
        if inc.opened <= when <= inc.last_activity:
            gap = timedelta(0)
        else:
            gap = min(abs(when - inc.opened), abs(when - inc.last_activity))
        a, b = _cves(sig), _cves(inc.signature)
        clash = bool(a and b and not a & b)
        shared_id = bool(ids_of(sig) & ids_of(inc.signature))
        if clash or gap > _window(triage, vendor_id, item, shared_id):
            continue
        if not shared_id and not kinds_compatible(triage.kind, inc.kind):
            continue
        overlap = len(sig & inc.signature) / max(1, len(sig | inc.signature))
        key = (gap, -overlap, inc.id)
        if best is None or key < best:
            best = key
    return best[2] if best else None
