"""Delivery channels: an alert becomes a message on Slack, Microsoft Teams, a webhook, email or the console."""

from __future__ import annotations

from notify.base import Alert, AlertField, Channel, DeliveryError, Receipt
from notify.console import ConsoleChannel, ConsoleSettings
from notify.email import EmailChannel, EmailSettings
from notify.slack import SlackChannel, SlackSettings
from notify.teams import TeamsChannel, TeamsSettings
from notify.webhook import WebhookChannel, WebhookSettings

CHANNELS: dict[str, type[SlackChannel | TeamsChannel | WebhookChannel | EmailChannel | ConsoleChannel]] = {
    "slack": SlackChannel,
    "teams": TeamsChannel,
    "webhook": WebhookChannel,
    "email": EmailChannel,
    "console": ConsoleChannel,
}

__all__ = [
    "CHANNELS",
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
