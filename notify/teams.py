"""Microsoft Teams through an Incoming Webhook or a Workflows "post to a channel" URL, as an Adaptive Card.

A webhook cannot thread, edit or look up what it posted: each alert is a card of its own that names its
incident (`FOLLOW-UP · incident #12`), and the root's delivery id is the `thread_ref` of what follows, as for
the generic webhook. The URL is the credential: masked in `repr`, never in logs or exception text.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict, Field, SecretStr

from notify.base import Alert, DeliveryError, Receipt
from notify.teams_card import message
from notify.webhook import hide_url, retry_after_s

logger = logging.getLogger(__name__)

# Incoming Webhooks have answered HTTP 200 with this text when Teams itself refused the message (throttling
# above all); such an answer is that status, not a success.
_EMBEDDED_STATUS = re.compile(r"returned HTTP error (\d{3})")


class TeamsSettings(BaseModel):
    """The channel's webhook or workflow URL (a secret: VENDORWATCH_TEAMS_WEBHOOK_URL)."""

    model_config = ConfigDict(frozen=True)

    url: SecretStr
    timeout: float = Field(default=10.0, gt=0, le=120)


class TeamsChannel:
    """POSTs each alert as an Adaptive Card message. See Channel.send; no idempotency key exists on Teams."""

    name = "teams"

    def __init__(self, settings: TeamsSettings) -> None:
        self.settings = settings
        hide_url(settings.url.get_secret_value())

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> TeamsChannel:
        """Build from a settings mapping (TOML table merged with secrets from the environment)."""
        return cls(TeamsSettings.model_validate(config))

    def send(self, alert: Alert, *, delivery_id: str) -> Receipt:
        """POST the card; 2xx is success, 408/425/429/5xx and transport errors are retryable, the rest final."""
        body = json.dumps(message(alert), separators=(",", ":")).encode()
        try:
            with httpx.Client(timeout=self.settings.timeout, follow_redirects=False) as client:
                response = client.post(
                    self.settings.url.get_secret_value(), content=body, headers={"Content-Type": "application/json"}
                )
        except httpx.TransportError as exc:  # its text may quote the URL: only its type is reported
            # Past the connect, the card may have been posted before the answer was lost.
            sent = not isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)
            logger.warning("teams unreachable: delivery=%s (%s)", delivery_id, type(exc).__name__)
            raise DeliveryError(f"teams: {type(exc).__name__}", retryable=True, maybe_delivered=sent) from None
        status = _status(response)
        if 200 <= status < 300:
            logger.info("teams %s delivered: delivery=%s status=%s", alert.kind, delivery_id, status)
            return Receipt(channel=self.name, ref=delivery_id)
        retryable = status in (408, 425, 429) or status >= 500
        retry_after = (retry_after_s(response.headers.get("Retry-After")) or 1.0) if status == 429 else None
        logger.warning("teams failed: delivery=%s status=%s retryable=%s", delivery_id, status, retryable)
        raise DeliveryError(f"teams: HTTP {status}", retryable=retryable, retry_after=retry_after)


def _status(response: httpx.Response) -> int:
    """The HTTP status, or the one Teams reports inside a 200 answer's text."""
    if response.status_code == 200 and (found := _EMBEDDED_STATUS.search(response.text[:1000])):
        return int(found.group(1))
    return response.status_code
