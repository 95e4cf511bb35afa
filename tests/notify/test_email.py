"""EmailChannel against a loopback SMTP server: delivery, threading headers, escaping, errors."""

from __future__ import annotations

import pytest

from notify.base import Alert, DeliveryError
from notify.email import EmailChannel, EmailSettings
from tests.notify.conftest import Mailbox

ROOT = Alert(
    incident_id=5,
    kind="root",
    title="Okta <script>alert(1)</script>",
    text="Line one & two\n\nPara two",
    severity="high",
    vendor="Okta",
    url="https://sec.okta.example/a?b=1&c=2",
    links=(("bad", "javascript:x"),),
)


def channel_for(box: Mailbox, **changes: object) -> EmailChannel:
    settings = {
        "host": box.host,
        "port": box.port,
        "starttls": False,
        "sender": "vendorwatch@alerts.example",
        "recipients": ("secops@example.org",),
        **changes,
    }
    return EmailChannel(EmailSettings(**settings))


def test_root_and_reply_are_delivered_and_thread(smtp_server: Mailbox) -> None:
    email = channel_for(smtp_server)
    root = email.send(ROOT, delivery_id="dlv-1")
    reply = Alert(incident_id=5, kind="reply", title="Vendor update", text="Rotated.", thread_ref=root.ref)
    email.send(reply, delivery_id="dlv-2")
    first, second = smtp_server.messages
    assert first["Message-ID"] == root.ref == "<vendorwatch.dlv-1@alerts.example>"
    assert second["In-Reply-To"] == root.ref and second["References"] == root.ref
    assert second["Subject"].startswith("Re: [vendorwatch]")
    assert smtp_server.envelopes[0] == ("vendorwatch@alerts.example", ["secops@example.org"])


def test_html_part_is_escaped_and_links_are_http_only(smtp_server: Mailbox) -> None:
    channel_for(smtp_server).send(ROOT, delivery_id="dlv-1")
    (msg,) = smtp_server.messages
    html_part, plain_part = msg.get_body(("html",)), msg.get_body(("plain",))
    assert html_part is not None and plain_part is not None
    html, plain = html_part.get_content(), plain_part.get_content()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="https://sec.okta.example/a?b=1&amp;c=2"' in html and "javascript:" not in html
    assert "Line one & two" in plain and "Severity: high" in plain


def test_unreachable_server_is_retryable(smtp_server: Mailbox) -> None:
    with pytest.raises(DeliveryError) as caught:
        channel_for(smtp_server, port=9).send(ROOT, delivery_id="dlv-1")
    assert caught.value.retryable


def test_starttls_refused_by_server_is_final(smtp_server: Mailbox) -> None:
    with pytest.raises(DeliveryError, match="STARTTLS") as caught:
        channel_for(smtp_server, starttls=True).send(ROOT, delivery_id="dlv-1")
    assert not caught.value.retryable


def test_password_is_masked_in_settings_repr() -> None:
    settings = EmailSettings(
        host="smtp.example", sender="a@b.example", recipients=("c@d.example",), username="bot", password="hunter2-smtp"
    )
    assert "hunter2-smtp" not in repr(settings) + str(settings)
