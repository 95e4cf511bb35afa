"""The one vocabulary: every word the store keeps and the app decides on, defined once.

Each is a `StrEnum`, so a member equals the string stored in the database, written to JSON and printed by
the CLI (`IncidentKind.breach == "breach"`). The declaration order is the order that means something
(most severe or most trusted first), so `list(SeverityLevel)` ranks. Pure data: the store keeps these in
columns of `registry.types.VocabType`, which refuses, naming the table and column, a word not in the vocabulary.

Connectors and channels (`connectors/`, `notify/`) know no registry: they carry these words as plain strings.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from registry.errors import RegistryError

E = TypeVar("E", bound=StrEnum)


class IncidentKind(StrEnum):
    """What an item reports (triage decides it); an incident is one of the recorded kinds."""

    breach = "breach"
    credential_exposure = "credential-exposure"
    exploited_vuln = "exploited-vuln"
    vuln_advisory = "vuln-advisory"
    outage = "outage"
    not_incident = "not-incident"


# The kinds that call for clean-up (runbooks apply, alerts go out), and the kinds an incident is recorded for.
ACTIONABLE_KINDS: frozenset[IncidentKind] = frozenset(
    {IncidentKind.breach, IncidentKind.credential_exposure, IncidentKind.exploited_vuln}
)
RECORDED_KINDS: frozenset[IncidentKind] = ACTIONABLE_KINDS | {IncidentKind.vuln_advisory, IncidentKind.outage}


class Trust(StrEnum):
    """How far a source's word goes: the vendor itself, a government agency, or the press."""

    vendor = "vendor"
    government = "government"
    news = "news"


class Criticality(StrEnum):
    """How much a vendor matters to the organisation (the registry file's `criticality`)."""

    critical = "critical"
    high = "high"
    medium = "medium"
    low = "low"


class SeverityLevel(StrEnum):
    """An incident's severity level, most severe first."""

    critical = "critical"
    high = "high"
    medium = "medium"
    low = "low"
    info = "info"


class IncidentStatus(StrEnum):
    """Where an incident is in its lifecycle."""

    open = "open"
    resolved = "resolved"
    dismissed = "dismissed"


class TaskStatus(StrEnum):
    """A runbook task: open, done, or closed without doing it (waived, with a reason)."""

    open = "open"
    done = "done"
    waived = "waived"


class DeliveryStatus(StrEnum):
    """An outbox row: held in a digest, waiting, being sent, and how it ended."""

    collecting = "collecting"  # held: a digest gathers follow-ups until its window closes
    pending = "pending"
    sending = "sending"  # committed before the send: after a crash it is looked up, not sent again
    sent = "sent"
    failed = "failed"
    superseded = "superseded"  # a later message replaced it before it went out


def at_least(level: SeverityLevel, floor: SeverityLevel) -> bool:
    """True when `level` is `floor` or more severe (the members are declared most severe first)."""
    order = list(SeverityLevel)
    return order.index(level) <= order.index(floor)


OPEN_DELIVERIES: tuple[DeliveryStatus, ...] = (DeliveryStatus.pending, DeliveryStatus.sending)

VOCABULARIES: tuple[type[StrEnum], ...] = (
    IncidentKind,
    Trust,
    Criticality,
    SeverityLevel,
    IncidentStatus,
    TaskStatus,
    DeliveryStatus,
)


class UnknownWordError(RegistryError, ValueError):
    """A stored value is not a word of its vocabulary; the message names where it was found."""


def parse(vocabulary: type[E], value: str, *, where: str) -> E:
    """The member of `vocabulary` spelt `value`, or UnknownWordError naming `where` and the allowed words."""
    try:
        return vocabulary(value)
    except ValueError:
        allowed = ", ".join(member.value for member in vocabulary)
        raise UnknownWordError(f"{where}: {value!r} is not a {_name(vocabulary)} (allowed: {allowed})") from None


def _name(vocabulary: type[StrEnum]) -> str:
    return "".join(f" {c.lower()}" if c.isupper() else c for c in vocabulary.__name__).strip()  # "task status"
