"""Email over SMTP: plain text plus escaped HTML, threaded per incident with Message-ID/References."""

from __future__ import annotations

import html
import logging
import re
import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from notify.base import Alert, DeliveryError, Receipt
from notify.text import one_line, safe_links, strip_controls, truncate

logger = logging.getLogger(__name__)

_MESSAGE_ID = re.compile(r"^<[^<>\s@]+@[^<>\s@]+>$")


class EmailSettings(BaseModel):
    """SMTP relay settings; the password is a secret and never shown in repr or logs."""

    model_config = ConfigDict(frozen=True)

    host: str
    sender: str
    recipients: tuple[str, ...] = Field(min_length=1)
    port: int = 587
    starttls: bool = True
    username: str | None = None
    password: SecretStr | None = None
    timeout: float = Field(default=10.0, gt=0, le=120)


def message_id(delivery_id: str, sender: str) -> str:
    """A stable Message-ID for a delivery, so a resend is recognisably the same message."""
    local = re.sub(r"[^A-Za-z0-9._-]", "-", delivery_id)[:120] or "delivery"
    domain = re.sub(r"[^A-Za-z0-9.-]", "", sender.rpartition("@")[2]) or "vendorwatch.invalid"
    return f"<vendorwatch.{local}@{domain}>"


def _plain(alert: Alert) -> str:
    lines = [one_line(alert.title), "", strip_controls(alert.text).strip(), ""]
    lines.append(f"Severity: {one_line(alert.severity)}")
    if alert.vendor:
        lines.append(f"Vendor: {one_line(alert.vendor)}")
    lines += [f"{one_line(f.label)}: {one_line(f.value)}" for f in alert.fields]
    lines += [f"{one_line(label)}: {url}" for label, url in safe_links(alert.url, alert.links)]
    return "\n".join(lines).strip() + "\n"


def _html(alert: Alert) -> str:
    # html.escape on every untrusted string; only http(s) URLs become links.
    esc = html.escape
    rows = [
        ("Severity", alert.severity),
        ("Vendor", alert.vendor),
        *((f.label, f.value) for f in alert.fields),
    ]
    cells = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows if v)
    anchors = "".join(
        f'<li><a href="{esc(url)}">{esc(one_line(label))}</a></li>' for label, url in safe_links(alert.url, alert.links)
    )
    paragraphs = "".join(f"<p>{esc(p)}</p>" for p in strip_controls(alert.text).split("\n\n") if p.strip())
    return (
        f"<html><body><h2>{esc(one_line(alert.title))}</h2>{paragraphs}"
        f"<table>{cells}</table>{f'<ul>{anchors}</ul>' if anchors else ''}</body></html>"
    )


class EmailChannel:
    """Sends one email per alert through an SMTP relay. See Channel.send; threads via References."""

    name = "email"

    def __init__(self, settings: EmailSettings) -> None:
        self.settings = settings

    def build(self, alert: Alert, *, delivery_id: str) -> EmailMessage:
        """The message for an alert; updates and replies reference the root's Message-ID."""
        msg = EmailMessage()
        prefix = "" if alert.kind == "root" else "Re: "
        subject = f"{prefix}[vendorwatch] {alert.severity.upper()}: {one_line(alert.title)}"
        msg["Subject"] = truncate(one_line(subject), 200)
        msg["From"] = self.settings.sender
        msg["To"] = ", ".join(self.settings.recipients)
        msg["Date"] = formatdate(localtime=False, usegmt=True)
        msg["Message-ID"] = message_id(delivery_id, self.settings.sender)
        if alert.kind != "root" and alert.thread_ref and _MESSAGE_ID.match(alert.thread_ref):
            msg["In-Reply-To"] = alert.thread_ref
            msg["References"] = alert.thread_ref
        msg.set_content(_plain(alert))
        msg.add_alternative(_html(alert), subtype="html")
        return msg

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> EmailChannel:
        """Build from a settings mapping (TOML table merged with secrets from the environment)."""
        return cls(EmailSettings.model_validate(config))

    def send(self, alert: Alert, *, delivery_id: str) -> Receipt:
        """Send via SMTP; 4xx replies and connection failures are retryable, 5xx are not."""
        msg = self.build(alert, delivery_id=delivery_id)
        try:
            refused = self._transmit(msg)
        except smtplib.SMTPAuthenticationError as exc:
            raise _fail(delivery_id, f"authentication failed ({exc.smtp_code})", retryable=False) from None
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            temporary = all(400 <= code < 500 for code in codes)
            raise _fail(delivery_id, f"all recipients refused {codes}", retryable=temporary) from None
        except smtplib.SMTPNotSupportedError:
            raise _fail(delivery_id, "server does not support STARTTLS", retryable=False) from None
        except smtplib.SMTPResponseException as exc:
            raise _fail(delivery_id, f"SMTP {exc.smtp_code}", retryable=not 500 <= exc.smtp_code < 600) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise _fail(delivery_id, type(exc).__name__, retryable=True) from None
        if refused:
            # The others have it already; a retry would duplicate it for them.
            logger.warning("email partly refused: delivery=%s refused=%d", delivery_id, len(refused))
        logger.info("email %s delivered: delivery=%s", alert.kind, delivery_id)
        return Receipt(channel=self.name, ref=str(msg["Message-ID"]))

    def _transmit(self, msg: EmailMessage) -> dict[str, tuple[int, bytes]]:
        settings = self.settings
        with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.username and settings.password:
                smtp.login(settings.username, settings.password.get_secret_value())
            return smtp.send_message(msg)


def _fail(delivery_id: str, reason: str, *, retryable: bool) -> DeliveryError:
    logger.warning("email failed: delivery=%s reason=%s retryable=%s", delivery_id, reason, retryable)
    return DeliveryError(f"email: {reason}", retryable=retryable)
