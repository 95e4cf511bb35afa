"""Loopback servers for channel tests: the Slack stand-in, a webhook receiver and an SMTP server."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.smtp import SMTP, Envelope, Session

from tests.notify.teams_standin import teams_standin  # noqa: F401 (fixture)
from tests.slack_standin import slack_standin  # noqa: F401 (fixture)


@dataclass
class Received:
    """One webhook request as the receiver saw it."""

    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class WebhookReceiver:
    """A loopback webhook endpoint; `statuses` scripts the next answers (then 200)."""

    url: str = ""
    received: list[Received] = field(default_factory=list)
    statuses: list[tuple[int, dict[str, str]]] = field(default_factory=list)


@pytest.fixture
def webhook_receiver() -> Iterator[WebhookReceiver]:
    """Start a receiver on 127.0.0.1:0 with a secret-looking path, like real webhook URLs."""
    receiver = WebhookReceiver()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            receiver.received.append(Received({k.lower(): v for k, v in self.headers.items()}, body))
            status, headers = receiver.statuses.pop(0) if receiver.statuses else (200, {})
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/T000/s3cr3t-path-token"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield receiver
    server.shutdown()
    server.server_close()


@dataclass
class Mailbox:
    """What the loopback SMTP server accepted."""

    host: str = "127.0.0.1"
    port: int = 0
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)


class _Collect:
    def __init__(self, box: Mailbox) -> None:
        self.box = box

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        self.box.messages.append(message_from_bytes(raw, policy=policy.default))
        self.box.envelopes.append((str(envelope.mail_from), list(envelope.rcpt_tos)))
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[Mailbox]:
    """An aiosmtpd server on 127.0.0.1:0 in its own event-loop thread."""
    box = Mailbox()
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    servers: list[asyncio.Server] = []

    async def start() -> None:
        server = await loop.create_server(lambda: SMTP(_Collect(box)), "127.0.0.1", 0)
        box.port = server.sockets[0].getsockname()[1]
        servers.append(server)
        ready.set()

    thread = threading.Thread(target=lambda: (loop.run_until_complete(start()), loop.run_forever()), daemon=True)
    thread.start()
    assert ready.wait(5)
    yield box

    async def stop() -> None:
        servers[0].close()
        await servers[0].wait_closed()

    asyncio.run_coroutine_threadsafe(stop(), loop).result(5)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.close()
