"""Building the configured delivery channels from settings and secrets, through `notify.CHANNELS`."""

from __future__ import annotations

from typing import Any, TextIO

from notify.base import Channel
from vendorwatch.settings import ConfigError, Settings


def active_channel_names(settings: Settings) -> list[str]:
    """Channels alerts are written for; Slack without a token falls back to the console."""
    names: list[str] = [n for n in settings.channels if n != "slack" or settings.secret("slack_bot_token")]
    if "slack" in settings.channels and "slack" not in names and "console" not in names:
        names.append("console")
    return names


def channel_config(settings: Settings, name: str) -> dict[str, Any]:
    """The mapping `CHANNELS[name].from_config` validates: its settings section plus secrets from the environment."""
    if name == "slack":
        slack = settings.slack
        return {
            "channel": slack.channel,
            "token": settings.secret("slack_bot_token"),
            "api_url": slack.api_url,
            "timeout": int(slack.timeout_s),
            "min_interval_s": slack.min_interval_s,
        }
    if name == "webhook":
        url, secret = settings.secret("webhook_url"), settings.secret("webhook_secret")
        if not url or not secret:
            raise ConfigError("channels: 'webhook' needs VENDORWATCH_WEBHOOK_URL and VENDORWATCH_WEBHOOK_SECRET")
        return {"url": url, "secret": secret}
    if name == "teams":
        if not (url := settings.secret("teams_webhook_url")):
            raise ConfigError("channels: 'teams' needs VENDORWATCH_TEAMS_WEBHOOK_URL (the channel's workflow URL)")
        return {"url": url}
    if name == "email":
        if settings.email is None:
            raise ConfigError("channels: 'email' needs an [email] section (host, sender, recipients)")
        return {**settings.email.model_dump(), "password": settings.secret("smtp_password")}
    return {}


def build_channels(settings: Settings, *, stream: TextIO | None = None) -> dict[str, Channel]:
    """Instantiate each active channel; a channel missing its secret is a ConfigError naming it."""
    from notify import CHANNELS, ConsoleChannel  # late: every channel module (slack-sdk, httpx) loads here

    built: dict[str, Channel] = {}
    for name in active_channel_names(settings):
        channel: Channel = CHANNELS[name].from_config(channel_config(settings, name))
        if isinstance(channel, ConsoleChannel) and stream is not None:
            channel = ConsoleChannel(channel.settings, stream=stream)  # where the demo prints
        built[name] = channel
    return built
