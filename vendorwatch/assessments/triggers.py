"""Change triggers: general regex lexicons that make a follow-up report material to an assessment.

Each lexicon describes a kind of development (the vendor widens the scope, stolen material is confirmed
abused, a root cause is published, another company discloses impact from this incident), never a phrase
of one particular report. `detect` returns what fired with the phrase that fired it, for the record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from registry.vocab import Trust
from vendorwatch.assessments import lexicon as lx
from vendorwatch.assessments.facts import ItemFact


@dataclass(frozen=True)
class Lexicon:
    """A trigger's patterns and which cues cancel a match (negation always; hedging, addressees by kind)."""

    patterns: tuple[re.Pattern[str], ...]
    hedged: bool = False  # hedging ("may", "whether", "still investigating") cancels it
    addressed: bool = False  # a remediation ask or notice addressed to the population cancels it
    after_words: int = 0  # words after the match that can still negate it ("root cause is not yet known")


LEXICONS: dict[str, Lexicon] = {
    "scope-expansion": Lexicon(lx.compile_all(lx.SCOPE), addressed=True),
    "confirmed-abuse": Lexicon(lx.compile_all(lx.ABUSE), hedged=True),
    "root-cause": Lexicon(lx.compile_all(lx.ROOT_CAUSE), hedged=True, after_words=6),
}
_BEFORE_WORDS = 10  # how far back in the clause a negation or hedge still governs the match
# Phrases naming the vendor's incident as the origin of someone else's; {v} is the vendor's name or alias.
_DOWNSTREAM = (
    r"\b(?:stolen|taken|obtained|exfiltrated|lifted) (?:in|from|during) (?:the )?{v}\b",
    r"\bas a result of (?:the )?{v}\b",
    r"\b(?:breach|intrusion|attack|compromise|incident|access) (?:was |were |is )?"
    r"(?:traced|linked|tied|attributed) to [^.]{{0,60}}?{v}\b",
    r"\b(?:tie|tied|ties|link|linked|links|attribute[sd]?) (?:its|their) own (?:breach|intrusion|compromise|incident)",
    r"\b(?:downstream|knock-on) (?:victim|breach|compromise|attack)",
)
# Indicator-only triggers: not material in themselves, material when the current assessment watches them.
WATCHED = ("government-advisory",)
ALL = (*LEXICONS, "downstream-victim", *WATCHED)


@dataclass(frozen=True)
class Fired:
    """One trigger that fired on one item, with the phrase that fired it."""

    trigger: str
    item_id: int
    evidence: str

    def as_json(self) -> dict[str, object]:
        """The stored form (Assessment.fired)."""
        return {"trigger": self.trigger, "item_id": self.item_id, "evidence": self.evidence}


def _clause_before(text: str, start: int) -> str:
    """The last words of the clause that ends where a match starts."""
    head = text[:start]
    cut = max((m.end() for m in lx.BOUNDARY.finditer(head)), default=0)
    return " ".join(head[cut:].split()[-_BEFORE_WORDS:]) + " "


def _clause_after(text: str, end: int, words: int) -> str:
    """Up to `words` words after a match, stopping at the clause boundary."""
    if words == 0:
        return ""
    tail = text[end:]
    if boundary := lx.BOUNDARY.search(tail):
        tail = tail[: boundary.start()]
    return " ".join(tail.split()[:words])


def _cancelled(lexicon: Lexicon, text: str, match: re.Match[str]) -> bool:
    """True when the match is negated, hedged (if that counts) or names the addressees of a request."""
    before = _clause_before(text, match.start())
    context = before + _clause_after(text, match.end(), lexicon.after_words)
    if lx.NEGATION.search(context):
        return True
    if lexicon.hedged and lx.HEDGE.search(context):
        return True
    return lexicon.addressed and bool(lx.ADDRESSEE.search(before))


def _first(lexicon: Lexicon, text: str) -> str | None:
    """The first phrase in the text that a pattern matches and no cue cancels."""
    for pattern in lexicon.patterns:
        for match in pattern.finditer(text):
            if not _cancelled(lexicon, text, match):
                return match.group(0)
    return None


def downstream_patterns(names: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """The downstream-victim lexicon for a vendor known by these names."""
    alt = "(?:" + "|".join(re.escape(n) for n in names if n) + r")(?:'s)?"
    return tuple(re.compile(p.format(v=alt), re.I) for p in _DOWNSTREAM)


def detect(item: ItemFact, vendor_names: tuple[str, ...], *, other_subject: bool) -> list[Fired]:
    """Every material trigger the item fires; `other_subject` is true when triage named another victim."""
    text = f"{item.title}. {item.summary}"
    fired = [Fired(name, item.item_id, phrase) for name, lex in LEXICONS.items() if (phrase := _first(lex, text))]
    phrase = _first(Lexicon(downstream_patterns(vendor_names)), text)
    if phrase is None and (other_subject or item.role == "downstream"):
        phrase = f"triage: another company is the subject ({item.role})"
    if phrase is not None:
        fired.append(Fired("downstream-victim", item.item_id, phrase))
    return fired


def detect_watched(item: ItemFact, watched: set[str], seen_trust: set[Trust]) -> list[Fired]:
    """Indicator-only triggers the current assessment watches for (e.g. a first government advisory)."""
    fired = []
    if "government-advisory" in watched and item.trust == Trust.government and Trust.government not in seen_trust:
        fired.append(Fired("government-advisory", item.item_id, f"government source {item.source_id}"))
    return fired
