"""Delivery channels: an alert becomes a message on Slack, Microsoft Teams, a webhook, email or the console.

The channel modules (slack-sdk, httpx) load on first use of `CHANNELS` or a channel class, not on
`import notify`: a command that sends nothing starts without them.
"""

from __future__ import annotations

import functools
import importlib
from typing import TYPE_CHECKING

from notify.base import Alert, AlertField, Channel, DeliveryError, Receipt

if TYPE_CHECKING:
    from notify.console import ConsoleChannel, ConsoleSettings
    from notify.email import EmailChannel, EmailSettings
    from notify.slack import SlackChannel, SlackSettings
    from notify.teams import TeamsChannel, TeamsSettings
    from notify.webhook import WebhookChannel, WebhookSettings

    CHANNELS: dict[str, type[SlackChannel | TeamsChannel | WebhookChannel | EmailChannel | ConsoleChannel]]

# The names CHANNELS registers, known without loading them (settings check the channels at start-up).
NAMES = ("slack", "teams", "webhook", "email", "console")
_LATE = {
    "ConsoleChannel": "notify.console",
    "ConsoleSettings": "notify.console",
    "EmailChannel": "notify.email",
    "EmailSettings": "notify.email",
    "SlackChannel": "notify.slack",
    "SlackSettings": "notify.slack",
    "TeamsChannel": "notify.teams",
    "TeamsSettings": "notify.teams",
    "WebhookChannel": "notify.webhook",
    "WebhookSettings": "notify.webhook",
}


@functools.cache
def _channels() -> dict[str, type[SlackChannel | TeamsChannel | WebhookChannel | EmailChannel | ConsoleChannel]]:
    from notify.console import ConsoleChannel
    from notify.email import EmailChannel
    from notify.slack import SlackChannel
    from notify.teams import TeamsChannel
    from notify.webhook import WebhookChannel

    return {
        "slack": SlackChannel,
        "teams": TeamsChannel,
        "webhook": WebhookChannel,
        "email": EmailChannel,
        "console": ConsoleChannel,
    }


def __getattr__(name: str) -> object:
    """CHANNELS and the channel classes, imported on first use."""
    if name == "CHANNELS":
        value: object = _channels()
    elif name in _LATE:
        value = getattr(importlib.import_module(_LATE[name]), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


__all__ = [
    "CHANNELS",
    "NAMES",
    "Alert",
    "AlertField",
    "Channel",
    "ConsoleChannel",
    "ConsoleSettings",
    "DeliveryError",
    "EmailChannel",
    "EmailSettings",
    "Receipt",
    "SlackChannel",
    "SlackSettings",
    "TeamsChannel",
    "TeamsSettings",
    "WebhookChannel",
    "WebhookSettings",
]
