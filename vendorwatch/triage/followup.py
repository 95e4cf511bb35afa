"""Follow-ups the classifier does not call incidents: product news or low-confidence items that refer back.

"X to require MFA after the wave of account thefts" is product news, yet it belongs on the timeline of X's
open incident. The pipeline attaches such items as follow-ups without alerting.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import timedelta

from registry.vocab import ACTIONABLE_KINDS, IncidentKind, Trust
from vendorwatch.triage.cluster import JOIN_WINDOW, SHARED_ID_WINDOW, ids_of, signature_of
from vendorwatch.triage.kind import lexicon_hits
from vendorwatch.triage.model import IncidentSnapshot, ItemText, Triage

_INCIDENT_NOUN = (
    r"(?:breach(?:es)?|hacks?|attacks?|intrusions?|incidents?|compromises?|thefts?|leaks?|exploitation|"
    r"takeovers?|cyberattacks?)"
)
# Wording that points back at an earlier event: "after the breach", "in the wake of the attack".
_REFERS_BACK = re.compile(
    r"\b(?:after|following|amid|in (?:the )?wake of|in response to|because of|due to|since|"
    r"response to|lessons from)\b[^.;]{0,60}?\b" + _INCIDENT_NOUN + r"\b",
    re.IGNORECASE,
)
# A vendor's own feed titling a post as an update to an earlier one.
_UPDATE_TITLE = re.compile(r"^\s*(?:update|updated|follow-up|root cause|post-?mortem|incident report)\b", re.I)
_INCIDENT_SIGNALS = frozenset({"breach", "credential", "exploit"})
# Roundups, retrospectives and a provider's leak of staff data tell no part of an open incident's story.
_NOT_STORY = frozenset({"roundup", "retrospective", "third-party-staff-data"})


def refers_back(item: ItemText) -> str | None:
    """Why the item reads as news about an earlier incident, or None."""
    for text in (item.title, item.summary):
        m = _REFERS_BACK.search(text)
        if m:
            return f'refers back: "{m.group()}"'
    if item.trust == Trust.vendor and _UPDATE_TITLE.match(item.title):
        return "the vendor's own feed posts an update"
    hit = next((h for h in lexicon_hits(item) if h.rule.hard and h.rule.signal in _INCIDENT_SIGNALS), None)
    return f'incident wording: "{hit.phrase}"' if hit else None


def _about(item: ItemText, triage: Triage, vendor_id: int, publisher_id: int | None) -> bool:
    return vendor_id in triage.subject_ids() or (publisher_id == vendor_id and not triage.subject_ids())


def is_follow_up(item: ItemText, triage: Triage, snapshot: IncidentSnapshot, publisher_id: int | None = None) -> bool:
    """True if an item not alerting on its own belongs on `snapshot`'s timeline (attach, do not alert).

    The incident's vendor must be the item's subject (or the publishing vendor of a feed naming no
    victim), the incident a security one, the item close in time, and its text must point back at it.
    """
    if (
        triage.kind == IncidentKind.outage
        or snapshot.kind not in ACTIONABLE_KINDS
        or triage.not_incident_reason in _NOT_STORY
    ):
        return False
    if not _about(item, triage, snapshot.vendor_id, publisher_id):
        return False
    shared_id = bool(ids_of(signature_of(item, triage)) & ids_of(snapshot.signature))
    when = item.published or snapshot.last_activity
    gap = max(timedelta(0), snapshot.opened - when, when - snapshot.last_activity)
    if gap > (SHARED_ID_WINDOW if shared_id else JOIN_WINDOW):
        return False
    return shared_id or refers_back(item) is not None


def follow_up_incident(
    item: ItemText, triage: Triage, candidates: Sequence[IncidentSnapshot], publisher_id: int | None = None
) -> int | None:
    """The id of the incident (latest activity first) an item follows up, or None."""
    for snap in sorted(candidates, key=lambda c: c.last_activity, reverse=True):
        if is_follow_up(item, triage, snap, publisher_id):
            return snap.id
    return None
