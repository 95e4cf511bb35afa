"""The negation and hedging cues shared by triage and the assessments, as typed data (one list each).

A negator cancels what follows it ("no evidence of access"); a hedge makes an event only possible or not yet
confirmed ("could be exploited", "whether data was taken", "still investigating"). Triage and the change
triggers of assessments read these same lists; each builds the pattern its grammar needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class CueKind(StrEnum):
    """What a cue does to the phrase it governs."""

    NEGATOR = "negator"  # the event did not happen
    MODAL = "modal"  # the event could happen
    CONDITION = "condition"  # the event happens only if
    POSSIBILITY = "possibility"  # the event is possible or attempted
    UNCERTAINTY = "uncertainty"  # the event is claimed, suspected or unconfirmed
    PENDING = "pending"  # the facts are still being established


@dataclass(frozen=True)
class Cue:
    """One cue: a regular expression (no groups) and its kind."""

    pattern: str
    kind: CueKind

    def __post_init__(self) -> None:
        re.compile(self.pattern)  # fail at import, naming the bad entry
        if "(" in self.pattern.replace("(?:", "").replace("(?!", ""):
            raise ValueError(f"cue {self.pattern!r}: use non-capturing groups only")


def _cues(kind: CueKind, *patterns: str) -> tuple[Cue, ...]:
    return tuple(Cue(p, kind) for p in patterns)


NEGATORS: tuple[Cue, ...] = _cues(
    CueKind.NEGATOR,
    r"not(?! only\b)",  # "not only" widens
    "no",
    "never",
    "none",
    "nor",
    "neither",
    "cannot",
    "without",
    "yet to",
    "unable to",
    "ruled out",
)
HEDGES: tuple[Cue, ...] = (
    *_cues(CueKind.MODAL, "may", "might", "could"),
    *_cues(CueKind.CONDITION, "if"),
    *_cues(CueKind.POSSIBILITY, "possibly", "potentially", "perhaps"),
    *_cues(
        CueKind.UNCERTAINTY,
        r"whether",
        r"alleged(?:ly)?",
        r"reportedly",
        r"unconfirmed",
        r"suspect(?:s|ed)?",
        r"believed to",
        r"appears? to",
        r"speculat\w*",
    ),
    *_cues(
        CueKind.PENDING,
        r"(?:is|are|remains?|still|was) (?:unknown|unclear|undetermined|under investigation)",
        r"(?:is|are|was|were|still) (?:investigating|working|trying|looking)",
        r"(?:to|will|would|once|until|before|still|continues to|working to|trying to|seeking to) "
        r"(?:\w+ )?(?:determine|identify|establish|find|investigate|understand|confirm|assess)",
        r"(?:will|plans? to|expects? to|intends? to|promised to|aims? to) (?:\w+ )?"
        r"(?:publish|release|share|issue|provide|disclose)",
    ),
)
# Modal wording that makes an attack only possible in an advisory ("can be exploited", "once exploited").
HYPOTHETICALS: tuple[Cue, ...] = (
    *_cues(CueKind.MODAL, "could", "can", "may", "might", "would", "should"),
    *_cues(CueKind.CONDITION, "if", "once", "unless"),
    *_cues(CueKind.POSSIBILITY, r"successful(?:ly)?", r"potential(?:ly)?", "possible", "risk of", r"attempts? to"),
)


def alternation(cues: tuple[Cue, ...]) -> str:
    """The cues as one non-capturing alternation."""
    return "(?:" + "|".join(c.pattern for c in cues) + ")"


NEGATION = re.compile(r"(?:\b" + alternation(NEGATORS) + r"\b|n['’]t\b)", re.IGNORECASE)
HEDGE = re.compile(r"\b" + alternation(HEDGES) + r"\b", re.IGNORECASE)
