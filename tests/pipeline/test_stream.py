"""A poll streams: each source is stored and triaged as soon as it answers, with one triage context per poll."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, event, func, select, text

from registry.models import Delivery
from tests.pipeline.feeds import OKTA_BREACH, write_feed
from vendorwatch.app import App
from vendorwatch.poll import pipeline
from vendorwatch.settings import SourceSettings

ORDINARY = [(f"Notes on our build cache, part {n}", "We made the build faster with a shared cache.") for n in range(30)]


class Stalling:
    """A feed that answers only once the outbox holds an alert (or after `patience` seconds) and says which."""

    def __init__(self, db_url: str, patience: float = 6.0) -> None:
        self.saw_alert: bool | None = None
        probe = create_engine(db_url)  # a plain reader, outside the poll's transactions
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                deadline = time.monotonic() + patience
                while time.monotonic() < deadline and not server._alerted(probe):
                    time.sleep(0.05)
                server.saw_alert = server._alerted(probe)
                body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.probe = probe

    @staticmethod
    def _alerted(probe: Any) -> bool:
        try:
            with probe.connect() as conn:
                return bool(conn.execute(select(func.count()).select_from(Delivery.__table__)).scalar())  # type: ignore[attr-defined]
        except Exception:  # the table may not exist yet
            return False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/feed.xml"


@pytest.fixture
def stalling(db_url: str) -> Iterator[Stalling]:
    server = Stalling(db_url)
    thread = threading.Thread(target=server.httpd.serve_forever, daemon=True)
    thread.start()
    yield server
    server.httpd.shutdown()
    server.probe.dispose()


def test_a_source_that_hangs_does_not_hold_back_another_sources_alert(
    slack_app: App, feeds_dir: Path, stalling: Stalling
) -> None:
    write_feed(feeds_dir, "wire", [OKTA_BREACH])
    slack_app.settings.fetch_timeout_s = 10
    slack_app.settings.sources = [SourceSettings(id="stalled", url=stalling.url), slack_app.settings.sources[0]]
    report = pipeline.poll_once(slack_app)
    assert stalling.saw_alert is True, "the breach on the good source was queued while the other still hung"
    assert report.alerts and not report.errors


def test_one_triage_context_per_poll_however_many_items(slack_app: App, feeds_dir: Path) -> None:
    write_feed(feeds_dir, "wire", [*ORDINARY, OKTA_BREACH])
    write_feed(feeds_dir, "blog", ORDINARY, base="https://blog.example/")
    source_reads: list[str] = []

    @event.listens_for(slack_app.engine, "before_cursor_execute")
    def _count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM source" in statement:
            source_reads.append(statement)

    report = pipeline.poll_once(slack_app)
    assert report.new_items == 61 and len(report.alerts) == 1
    assert report.context_loads == 1
    # Per poll (sync, claim, context) and per batch of answered sources; never per item (61 here).
    assert len(source_reads) < 10


def test_items_naming_no_registry_vendor_are_stored_settled(slack_app: App, feeds_dir: Path) -> None:
    write_feed(feeds_dir, "wire", [*ORDINARY[:3], OKTA_BREACH])
    pipeline.poll_once(slack_app)
    with slack_app.session() as s:
        kinds = [row[0] for row in s.execute(text("SELECT kind FROM item ORDER BY id"))]
    assert kinds[:3] == ["no-registry-vendor"] * 3 and kinds[3] == "breach"
