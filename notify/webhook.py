"""A generic JSON webhook, signed with HMAC-SHA256 so receivers can verify and deduplicate it."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Mapping
from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict, Field, SecretStr

from notify.base import Alert, DeliveryError, Receipt

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Vendorwatch-Signature"
TIMESTAMP_HEADER = "X-Vendorwatch-Timestamp"
DELIVERY_HEADER = "X-Vendorwatch-Delivery"


class WebhookSettings(BaseModel):
    """Webhook target. The URL often embeds a credential, so it is a secret like the signing key."""

    model_config = ConfigDict(frozen=True)

    url: SecretStr
    secret: SecretStr
    timeout: float = Field(default=10.0, gt=0, le=120)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header value: `sha256=` + hex HMAC-SHA256 over `<timestamp>.<body>`."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def payload(alert: Alert, delivery_id: str) -> dict[str, Any]:
    """The JSON document a receiver gets; text is raw (unescaped), receivers render it themselves."""
    return {
        "delivery_id": delivery_id,
        "incident_id": alert.incident_id,
        "kind": alert.kind,
        "thread_ref": alert.thread_ref,
        "title": alert.title,
        "text": alert.text,
        "severity": alert.severity,
        "vendor": alert.vendor,
        "url": alert.url,
        "fields": [{"label": f.label, "value": f.value} for f in alert.fields],
        "links": [{"label": label, "url": url} for label, url in alert.links],
        "mentions": list(alert.mentions),
    }


class _RedactUrls(logging.Filter):
    """Drops our secret webhook URLs from httpx's own INFO request lines."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and any(str(a) in self.urls for a in record.args):
            record.args = tuple("<webhook url>" if str(a) in self.urls else a for a in record.args)
        return True


_REDACT = _RedactUrls()
logging.getLogger("httpx").addFilter(_REDACT)


def hide_url(url: str) -> None:
    """Keep a secret URL (a webhook's, a Teams workflow's) out of httpx's request log lines."""
    _REDACT.urls.add(str(httpx.URL(url)))


class WebhookChannel:
    """POSTs a signed JSON alert. See Channel.send; `X-Vendorwatch-Delivery` is the idempotency key."""

    name = "webhook"

    def __init__(self, settings: WebhookSettings) -> None:
        self.settings = settings
        hide_url(settings.url.get_secret_value())

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> WebhookChannel:
        """Build from a settings mapping (TOML table merged with secrets from the environment)."""
        return cls(WebhookSettings.model_validate(config))

    def send(self, alert: Alert, *, delivery_id: str) -> Receipt:
        """POST the alert; 2xx is success, 408/429/5xx and transport errors are retryable."""
        body = json.dumps(payload(alert, delivery_id), separators=(",", ":")).encode()
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(self.settings.secret.get_secret_value(), timestamp, body),
            TIMESTAMP_HEADER: timestamp,
            DELIVERY_HEADER: delivery_id,
        }
        try:
            with httpx.Client(timeout=self.settings.timeout, follow_redirects=False) as client:
                response = client.post(self.settings.url.get_secret_value(), content=body, headers=headers)
        except httpx.TransportError as exc:
            # The exception text may carry the URL; report only its type.
            logger.warning("webhook unreachable: delivery=%s (%s)", delivery_id, type(exc).__name__)
            raise DeliveryError(f"webhook: {type(exc).__name__}", retryable=True) from None
        status = response.status_code
        if 200 <= status < 300:
            logger.info("webhook %s delivered: delivery=%s status=%s", alert.kind, delivery_id, status)
            # A root's delivery id is the thread_ref receivers then see on its updates and replies.
            return Receipt(channel=self.name, ref=delivery_id)
        retryable = status in (408, 425, 429) or status >= 500
        retry_after = retry_after_s(response.headers.get("Retry-After")) if status == 429 else None
        logger.warning("webhook failed: delivery=%s status=%s retryable=%s", delivery_id, status, retryable)
        raise DeliveryError(f"webhook: HTTP {status}", retryable=retryable, retry_after=retry_after)


def retry_after_s(value: str | None) -> float | None:
    """A Retry-After header in seconds (None when absent or an HTTP date: the dispatcher's backoff applies)."""
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None  # an HTTP date; the dispatcher's own backoff applies
