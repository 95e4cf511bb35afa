"""The channel contract: an alert becomes a message on a channel and is sent once."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

AlertKind = Literal["root", "update", "reply"]


class DeliveryError(Exception):
    """A send failed. `retryable`: trying again may succeed; `maybe_delivered`: the message may be out."""

    def __init__(
        self, message: str, *, retryable: bool, retry_after: float | None = None, maybe_delivered: bool = False
    ) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after
        self.maybe_delivered = maybe_delivered  # e.g. a timeout after the request was sent


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
