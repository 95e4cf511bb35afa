"""Building the configured delivery channels from settings and secrets."""

from __future__ import annotations

from typing import TextIO

from notify import ConsoleChannel, EmailChannel, EmailSettings, SlackChannel, SlackSettings, WebhookChannel
from notify.base import Channel
from notify.webhook import WebhookSettings
from vendorwatch.settings import ConfigError, Settings


def active_channel_names(settings: Settings) -> list[str]:
    """Channels alerts are written for; Slack without a token falls back to the console."""
    names: list[str] = [n for n in settings.channels if n != "slack" or settings.secret("slack_bot_token")]
    if "slack" in settings.channels and "slack" not in names and "console" not in names:
        names.append("console")
    return names


def build_channels(settings: Settings, *, stream: TextIO | None = None) -> dict[str, Channel]:
    """Instantiate each active channel; a channel missing its secret is a ConfigError naming it."""
    built: dict[str, Channel] = {}
    for name in active_channel_names(settings):
        if name == "slack":
            token = settings.secret("slack_bot_token")
            assert token is not None
            built[name] = SlackChannel(
                SlackSettings(
                    channel=settings.slack.channel,
                    token=token,
                    api_url=settings.slack.api_url,
                    timeout=int(settings.slack.timeout_s),
                    min_interval_s=settings.slack.min_interval_s,
                )
            )
        elif name == "console":
            built[name] = ConsoleChannel(stream=stream)
        elif name == "webhook":
            url, secret = settings.secret("webhook_url"), settings.secret("webhook_secret")
            if not url or not secret:
                raise ConfigError("channels: 'webhook' needs VENDORWATCH_WEBHOOK_URL and VENDORWATCH_WEBHOOK_SECRET")
            built[name] = WebhookChannel(WebhookSettings(url=url, secret=secret))
        elif name == "email":
            if settings.email is None:
                raise ConfigError("channels: 'email' needs an [email] section (host, sender, recipients)")
            conf = settings.email.model_dump()
            built[name] = EmailChannel(EmailSettings(**conf, password=settings.secret("smtp_password")))
    return built
