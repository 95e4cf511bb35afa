"""Negation and hypothetical wording around a matched phrase (the shared cue lists live in `cues`)."""

from __future__ import annotations

import re

from vendorwatch.triage import cues

_NEGATOR = cues.NEGATION
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
    r"\b" + cues.alternation(cues.HYPOTHETICALS) + r"\s+(?!have\b)(?:\w+\s+){0,2}$", re.IGNORECASE
)
_MODALS = tuple(c for c in cues.HYPOTHETICALS if c.kind == cues.CueKind.MODAL)
_HYPOTHETICAL_AFTER = re.compile(
    r"^\s*(?:\w+\s+){0,4}?" + cues.alternation(_MODALS) + r"\s+(?!have\b)\w+", re.IGNORECASE
)


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
