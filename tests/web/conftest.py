"""A served app on 127.0.0.1 (port 0), a seeded store with hostile feed text, Slack-signed clicks."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from slack_sdk.signature import SignatureVerifier

from registry.models import Incident, IncidentReference, Item, Task, Vendor
from vendorwatch.app import App
from vendorwatch.settings import ServeSettings, Settings
from vendorwatch.web.access import configure
from vendorwatch.web.app import create_app
from vendorwatch.web.server import Running, start_in_thread

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
OWNER = "U0OWNER1"
HOSTILE = '<script>document.title="pwned"</script><img src=x onerror=alert(1)> & "quotes"'


@pytest.fixture
def web_app(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[App]:
    """An App whose Slack signing secret is set, whose owner iam-team maps to a Slack user, clock at NOW."""
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    serve = ServeSettings(public_url="https://vw.example.com", slack_actors="owners")
    vw = App(settings=Settings(database_url=db_url, owners={"iam-team": OWNER}, serve=serve), clock=lambda: NOW)
    yield vw
    vw.engine.dispose()


@pytest.fixture
def seeded(web_app: App) -> dict[str, int]:
    """One alerted incident whose feed text is hostile; one overdue and one later task."""
    with web_app.session() as s:
        vendor = Vendor(name="Okta", criticality="critical", owner="iam-team")
        s.add(vendor)
        s.flush()
        seen = NOW - timedelta(hours=3)
        item = Item(
            source_id="okta-security",
            guid="g1",
            url="https://sec.okta.com/1",
            title=HOSTILE,
            summary=HOSTILE,
            published=seen,
            first_seen=seen,
        )
        incident = Incident(
            vendor_id=vendor.id or 0,
            kind="breach",
            title=f"Okta breach {HOSTILE}",
            alerted=True,
            alerted_at=seen,
            opened_at=seen,
            severity="high",
        )
        s.add_all([item, incident])
        s.flush()
        s.add(IncidentReference(incident_id=incident.id or 0, item_id=item.id or 0, role="first report"))
        late = _task(incident, "late", "Rotate SCIM token", NOW - timedelta(hours=1))
        later = _task(incident, "later", "Rotate SAML certificate", NOW + timedelta(hours=20))
        s.add_all([late, later])
        s.flush()
        return {"incident": incident.id or 0, "late": late.id or 0, "later": later.id or 0}


def _task(incident: Incident, key: str, title: str, due: datetime) -> Task:
    return Task(
        incident_id=incident.id or 0,
        vendor_id=incident.vendor_id,
        key=key,
        step="rotate",
        title=title,
        owner="iam-team",
        created_at=NOW - timedelta(hours=2),
        due_at=due,
    )


@pytest.fixture
def serve(web_app: App) -> Iterator[Callable[..., Running]]:
    """Start the app under uvicorn on 127.0.0.1:0 (with optional settings changes); stopped afterwards."""
    started: list[Running] = []

    def start(host: str = "127.0.0.1") -> Running:
        running = start_in_thread(create_app(web_app, configure(web_app.settings, host)), "127.0.0.1")
        started.append(running)
        return running

    yield start
    for running in started:
        running.stop()


class ResponseUrl:
    """A stand-in for Slack's response_url: records what the app posts to it."""

    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                outer.posts.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/actions/T1/1/abc"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, n: int) -> list[dict[str, Any]]:
        """The posts, once at least `n` have arrived (posts follow the 200 in the background)."""
        deadline = time.monotonic() + 10
        while len(self.posts) < n and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.posts


@pytest.fixture
def response_url() -> Iterator[ResponseUrl]:
    """A running response_url stand-in."""
    standin = ResponseUrl()
    yield standin
    standin.server.shutdown()


def click_body(
    action: str, value: str, *, user: str = OWNER, response_url: str | None = None, action_ts: str = "1795000000.000100"
) -> bytes:
    """A block_actions payload as Slack posts it (form-encoded JSON)."""
    payload = {
        "type": "block_actions",
        "user": {"id": user, "name": "alice", "username": "alice"},
        "container": {"type": "message", "message_ts": "1795000000.000001", "channel_id": "C1"},
        "message": {
            "text": "Reminder",
            "blocks": [
                {"type": "section", "text": {"type": "mrkdwn", "text": "Reminder"}},
                {"type": "actions", "elements": []},
            ],
        },
        "response_url": response_url,
        "actions": [{"action_id": action, "value": value, "type": "button", "action_ts": action_ts}],
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


def signed(body: bytes, *, secret: str = SECRET, at: float | None = None) -> dict[str, str]:
    """Headers Slack would send: X-Slack-Request-Timestamp and the v0 signature."""
    ts = str(int(time.time() if at is None else at))
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body) or ""
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature,
        "Content-Type": "application/x-www-form-urlencoded",
    }


def post_click(running: Running, body: bytes, headers: dict[str, str]) -> httpx.Response:
    """POST to /slack/actions over loopback."""
    return httpx.post(running.url + "slack/actions", content=body, headers=headers, timeout=10)
