"""The channel contract: an alert becomes a message on a channel and is sent once."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol, runtime_checkable

AlertKind = Literal["root", "update", "reply"]


class DeliveryError(Exception):
    """A send failed. `retryable`: trying again may succeed; `maybe_delivered`: the message may be out.

    `retry_after` is set only for a rate limit (429); `code` is the service's own error code, if any.
    """

    def __init__(
        self,
        message: str,
        *,
        retryable: bool,
        retry_after: float | None = None,
        maybe_delivered: bool = False,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after
        self.maybe_delivered = maybe_delivered  # e.g. a timeout after the request was sent
        self.code = code


HEADINGS = {"root": "NEW INCIDENT", "update": "UPDATED", "reply": "FOLLOW-UP"}


@dataclass(frozen=True)
class AlertField:
    """A labelled value shown with an alert (e.g. Severity: high (72))."""

    label: str
    value: str


@dataclass(frozen=True)
class Alert:
    """What to say about an incident. All text is untrusted and escaped by the channel.

    kind: `root` opens the incident's thread, `update` rewrites the root in place,
    `reply` posts under it. `thread_ref` is the root's Receipt.ref for update/reply.
    """

    incident_id: int
    kind: AlertKind
    title: str
    text: str
    severity: str = "info"
    vendor: str = ""
    url: str | None = None
    fields: tuple[AlertField, ...] = ()
    mentions: tuple[str, ...] = ()
    channel: str | None = None
    thread_ref: str | None = None
    links: tuple[tuple[str, str], ...] = field(default=())
    task_id: int | None = None  # a reminder's task: its buttons act on it
    actions_url: str | None = None  # the dashboard's public URL; when set, Slack shows action buttons

    @property
    def notice(self) -> bool:
        """A root tied to no incident (a daily digest, a review reminder): a notice, with no incident's severity."""
        return self.kind == "root" and not self.incident_id

    @property
    def heading(self) -> str:
        """What the message is, for the text channels: NEW INCIDENT, UPDATED, FOLLOW-UP or NOTICE."""
        return "NOTICE" if self.notice else HEADINGS[self.kind]


@dataclass(frozen=True)
class Receipt:
    """Proof of a send: `ref` identifies the posted message (Slack ts) where the channel has one."""

    channel: str
    ref: str | None = None


class Channel(Protocol):
    """A delivery channel. `send` must be safe to call again with the same delivery_id."""

    name: str

    def send(self, alert: Alert, *, delivery_id: str) -> Receipt:
        """Deliver the alert; raise DeliveryError on failure."""
        ...


@runtime_checkable
class Targeted(Protocol):
    """Optional: a channel that posts to named targets (Slack channels) with stable ids and a pace."""

    name: str
    default_target: str  # where an alert without its own target goes
    min_interval_s: float  # at most one message per target this often (Slack: about 1 per second)

    def resolve_target(self, name: str) -> str | None:
        """The stable id for a target name (None: no such target); raises DeliveryError."""
        ...

    def is_target_id(self, target: str) -> bool:
        """True when `target` is already an id (a lookup by it works)."""
        ...


@runtime_checkable
class Recoverable(Protocol):
    """Optional: a channel that can find a message an earlier attempt posted although its answer was lost."""

    def find_sent(
        self, delivery_id: str, channel: str, oldest: str | None = None, *, thread_ref: str | None = None
    ) -> Receipt | None:
        """The receipt of the message carrying `delivery_id`, or None; raises DeliveryError."""
        ...


@runtime_checkable
class SelfChecking(Protocol):
    """Optional: a channel that can tell what it lacks (e.g. Slack scopes) before a send needs it."""

    def problems(self) -> list[str]:
        """What is missing and the risk it carries (empty: nothing); raises DeliveryError if it cannot tell."""
        ...
