"""WebhookChannel against a loopback receiver: HMAC signature, idempotency header, errors, secrets."""

from __future__ import annotations

import hashlib
import hmac
import logging

import pytest

from notify.base import Alert, AlertField, DeliveryError
from notify.webhook import WebhookChannel, WebhookSettings
from tests.notify.conftest import WebhookReceiver

SECRET = "whsec-loopback-signing-key"
ALERT = Alert(
    incident_id=3,
    kind="root",
    title="Okta <!channel>",
    text="Body & more",
    severity="critical",
    vendor="Okta",
    fields=(AlertField("Tasks", "0/4"),),
    links=(("Status", "https://status.example"),),
)


def channel_for(receiver: WebhookReceiver, url: str | None = None) -> WebhookChannel:
    return WebhookChannel(WebhookSettings(url=url or receiver.url, secret=SECRET, timeout=5))


def test_receiver_verifies_signature_over_timestamp_and_body(webhook_receiver: WebhookReceiver) -> None:
    receipt = channel_for(webhook_receiver).send(ALERT, delivery_id="dlv-42")
    (got,) = webhook_receiver.received
    signed = got.headers["x-vendorwatch-timestamp"].encode() + b"." + got.body
    expected = "sha256=" + hmac.new(SECRET.encode(), signed, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(got.headers["x-vendorwatch-signature"], expected)
    assert got.headers["x-vendorwatch-delivery"] == "dlv-42"
    assert receipt.ref == "dlv-42"


def test_payload_carries_raw_alert_for_the_receiver(webhook_receiver: WebhookReceiver) -> None:
    channel_for(webhook_receiver).send(ALERT, delivery_id="dlv-1")
    body = webhook_receiver.received[0].json()
    assert body["title"] == "Okta <!channel>" and body["kind"] == "root"
    assert body["fields"] == [{"label": "Tasks", "value": "0/4"}]
    assert body["links"] == [{"label": "Status", "url": "https://status.example"}]


def test_tampered_body_fails_verification(webhook_receiver: WebhookReceiver) -> None:
    channel_for(webhook_receiver).send(ALERT, delivery_id="dlv-1")
    got = webhook_receiver.received[0]
    forged = got.headers["x-vendorwatch-timestamp"].encode() + b"." + got.body.replace(b"Okta", b"Otka")
    assert (
        got.headers["x-vendorwatch-signature"]
        != "sha256=" + hmac.new(SECRET.encode(), forged, hashlib.sha256).hexdigest()
    )


@pytest.mark.parametrize(
    ("status", "headers", "retryable", "retry_after"),
    [
        (429, {"Retry-After": "1"}, True, 1.0),
        (500, {}, True, None),
        (503, {}, True, None),
        (400, {}, False, None),
        (404, {}, False, None),
    ],
)
def test_http_failures_map_to_retryable_or_final(
    webhook_receiver: WebhookReceiver, status: int, headers: dict[str, str], retryable: bool, retry_after: float | None
) -> None:
    webhook_receiver.statuses.append((status, headers))
    with pytest.raises(DeliveryError) as caught:
        channel_for(webhook_receiver).send(ALERT, delivery_id="dlv-1")
    assert (caught.value.retryable, caught.value.retry_after) == (retryable, retry_after)


def test_unreachable_receiver_is_retryable_and_url_stays_secret(
    webhook_receiver: WebhookReceiver, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    channel = channel_for(webhook_receiver)
    channel.send(ALERT, delivery_id="dlv-ok")
    dead = channel_for(webhook_receiver, url="http://127.0.0.1:9/hooks/s3cr3t-path-token")
    with pytest.raises(DeliveryError) as caught:
        dead.send(ALERT, delivery_id="dlv-1")
    assert caught.value.retryable
    shown = caplog.text + str(caught.value) + repr(caught.value) + repr(channel.settings)
    assert "s3cr3t-path-token" not in shown and SECRET not in shown
