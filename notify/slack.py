"""Slack through the Web API: one root message per incident, updates in place, replies in its thread."""

from __future__ import annotations

import http.client
import logging
import re
from collections.abc import Mapping
from typing import Any
from urllib.error import URLError

from pydantic import BaseModel, ConfigDict, Field, SecretStr
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from notify.base import Alert, DeliveryError, Receipt
from notify.slack_render import render

logger = logging.getLogger(__name__)

EVENT_TYPE = "vendorwatch_alert"
# Slack's own error codes that a later attempt may get past; everything else (invalid_auth,
# channel_not_found, invalid_blocks, msg_too_long, ...) needs a human and is final.
_RETRYABLE_CODES = frozenset({"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"})
_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{6,}$")
# Scopes the bot needs, with what their absence risks; a private channel's groups:* scope counts as well.
SCOPES = {
    "chat:write": "nothing can be posted",
    "channels:read": "a #name cannot be resolved to its id: a lost answer may double a root",
    "channels:history": "a lost answer cannot be looked up: it may double a message",
}
LIST_PAGES = 20  # conversations.list pages of 1,000 read at most when resolving a name


class SlackSettings(BaseModel):
    """Slack Web API settings; `token` is a bot token (xoxb-…) and never shown in repr or logs."""

    model_config = ConfigDict(frozen=True)

    channel: str
    token: SecretStr
    api_url: str = "https://slack.com/api/"
    timeout: int = Field(default=10, ge=1, le=120)
    min_interval_s: float = Field(default=1.0, ge=0, le=60)  # Slack allows about 1 message/s per channel


class SlackChannel:
    """Posts alerts with chat.postMessage / chat.update. See Channel.send."""

    name = "slack"

    def __init__(self, settings: SlackSettings) -> None:
        self.settings = settings
        self.min_interval_s = settings.min_interval_s
        self.default_target = settings.channel
        base_url = settings.api_url if settings.api_url.endswith("/") else settings.api_url + "/"
        # retry_handlers=[]: the dispatcher owns retries. slack-sdk's default connection-error
        # retry can post a message twice (PITFALLS: slack-sdk).
        self._client = WebClient(
            token=settings.token.get_secret_value(),
            base_url=base_url,
            timeout=settings.timeout,
            retry_handlers=[],
        )

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SlackChannel:
        """Build from a settings mapping (TOML table merged with secrets from the environment)."""
        return cls(SlackSettings.model_validate(config))

    def send(self, alert: Alert, *, delivery_id: str) -> Receipt:
        """Post a root, update the root in place, or reply in its thread, by `alert.kind`."""
        channel = alert.channel or self.settings.channel
        message = render(alert)
        common: dict[str, Any] = {"channel": channel, "text": message.text, "blocks": message.blocks}
        if alert.kind != "root" and not alert.thread_ref:
            raise DeliveryError(f"slack {alert.kind} without thread_ref", retryable=False)
        if alert.kind == "update":
            # No metadata here: it would replace the root's delivery id that find_sent looks for.
            response = self._call("chat.update", delivery_id, ts=alert.thread_ref, **common)
        else:
            response = self._call(
                "chat.postMessage",
                delivery_id,
                thread_ts=alert.thread_ref if alert.kind == "reply" else None,
                unfurl_links=False,
                unfurl_media=False,
                metadata={
                    "event_type": EVENT_TYPE,
                    "event_payload": {"delivery_id": delivery_id, "incident_id": alert.incident_id},
                },
                **common,
            )
        ts = str(response.get("ts") or alert.thread_ref)
        logger.info("slack %s delivered: delivery=%s ts=%s", alert.kind, delivery_id, ts)
        return Receipt(channel=str(response.get("channel") or channel), ref=ts)

    def find_sent(
        self, delivery_id: str, channel: str, oldest: str | None = None, *, thread_ref: str | None = None
    ) -> Receipt | None:
        """Find a message already posted for `delivery_id` (a send whose outcome was lost).

        `channel` must be a channel id (C…). Roots are looked up in conversations.history (newest
        ~200 after `oldest`); with `thread_ref`, replies in that thread via conversations.replies.
        """
        method = "conversations.replies" if thread_ref else "conversations.history"
        response = self._call(
            method, delivery_id, channel=channel, ts=thread_ref, oldest=oldest, limit=200, include_all_metadata=True
        )
        for message in response.get("messages") or []:
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if metadata.get("event_type") == EVENT_TYPE and payload.get("delivery_id") == delivery_id:
                return Receipt(channel=channel, ref=str(message["ts"]))
        return None

    def problems(self) -> list[str]:
        """Missing scopes, read from the X-OAuth-Scopes header of auth.test (none listed: cannot tell)."""
        try:
            response = self._client.auth_test()
        except SlackApiError as exc:
            raise _api_error("auth.test", "-", exc) from None
        except (SlackClientError, TimeoutError, URLError, OSError, http.client.HTTPException) as exc:
            raise DeliveryError(f"slack auth.test: {type(exc).__name__}", retryable=True) from None
        header = next((v for k, v in (response.headers or {}).items() if k.lower() == "x-oauth-scopes"), None)
        if header is None:
            return []
        granted = {scope.strip() for scope in str(header).split(",")}
        return [
            f"the bot lacks the {scope} scope: {risk}"
            for scope, risk in SCOPES.items()
            if scope not in granted and scope.replace("channels:", "groups:") not in granted
        ]

    def is_target_id(self, target: str) -> bool:
        """True for a channel id (C…, G…, D…); a `#name` or bare name is not one."""
        return bool(_CHANNEL_ID.match(target))

    def resolve_target(self, name: str) -> str | None:
        """The id of channel `#name` from conversations.list (needs channels:read, groups:read for private)."""
        wanted, cursor = name.removeprefix("#"), None
        for _ in range(LIST_PAGES):
            response = self._call(
                "conversations.list",
                name,
                types="public_channel,private_channel",
                exclude_archived=True,
                limit=1000,
                cursor=cursor,
            )
            for channel in response.get("channels") or []:
                if channel.get("name") == wanted and channel.get("id"):
                    return str(channel["id"])
            cursor = (response.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return None
        return None

    def _call(self, method: str, delivery_id: str, **kwargs: Any) -> dict[str, Any]:
        args = {key: value for key, value in kwargs.items() if value is not None}
        try:
            if method == "conversations.list":
                response = self._client.conversations_list(**args)
            elif method == "conversations.history":
                response = self._client.conversations_history(**args)
            elif method == "conversations.replies":
                response = self._client.conversations_replies(**args)
            elif method == "chat.update":
                response = self._client.chat_update(**args)
            else:
                response = self._client.chat_postMessage(**args)
        except SlackApiError as exc:
            raise _api_error(method, delivery_id, exc) from None
        except (TimeoutError, URLError, OSError, http.client.HTTPException) as exc:
            # Message built from the exception type only: urllib errors can quote the request.
            logger.warning("slack %s unreachable: delivery=%s (%s)", method, delivery_id, type(exc).__name__)
            # The request may have reached Slack before the connection broke: the message may be posted.
            raise DeliveryError(f"slack {method}: {type(exc).__name__}", retryable=True, maybe_delivered=True) from None
        except SlackClientError as exc:
            raise DeliveryError(f"slack {method}: client error {type(exc).__name__}", retryable=False) from None
        return dict(response.data) if isinstance(response.data, dict) else {}


def _api_error(method: str, delivery_id: str, exc: SlackApiError) -> DeliveryError:
    status = int(exc.response.status_code)
    data = exc.response.data if isinstance(exc.response.data, dict) else {}
    code = str(data.get("error") or f"http_{status}")[:80]
    retry_after: float | None = None
    if status == 429:
        header = exc.response.headers.get("Retry-After") or exc.response.headers.get("retry-after")
        try:
            retry_after = float(header) if header is not None else None
        except (TypeError, ValueError):
            retry_after = None
    retryable = status == 429 or status >= 500 or code in _RETRYABLE_CODES
    if status == 429 and retry_after is None:
        retry_after = 1.0  # a rate limit without Retry-After: Slack's documented minimum pause
    if code == "missing_scope" and data.get("needed"):
        code = f"missing_scope {str(data['needed'])[:60]}"
    logger.warning(
        "slack %s failed: delivery=%s status=%s error=%s retryable=%s",
        method,
        delivery_id,
        status,
        code,
        retryable,
    )
    return DeliveryError(
        f"slack {method}: {code} (HTTP {status})", retryable=retryable, retry_after=retry_after, code=code.split()[0]
    )
