"""A full cycle with a Slack token, a webhook URL and a Teams URL set logs none of them, even at DEBUG."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from registry import api
from tests.scale import fleet
from tests.slack_standin import SlackStandIn
from vendorwatch.app import App
from vendorwatch.feedserver import FeedServer
from vendorwatch.ops.scheduler import Worker, prepare, quiet_library_loggers
from vendorwatch.settings import load_settings

HOOK_PATH = "/hooks/T000/B000/hush-hush-webhook-path"
HOOK_SECRET = "whsec-do-not-log-me"
TEAMS_PATH = "/webhookb2/T000/IncomingWebhook/hush-hush-teams-path"


@pytest.fixture
def webhook_receiver() -> Iterator[list[dict[str, Any]]]:
    received: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    received.append({"url": f"http://127.0.0.1:{server.server_address[1]}{HOOK_PATH}"})
    yield received
    server.shutdown()
    server.server_close()


def test_a_full_cycle_logs_no_token_and_no_webhook_url(
    tmp_path: Path,
    slack_standin: SlackStandIn,
    webhook_receiver: list[dict[str, Any]],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hook_url = webhook_receiver.pop(0)["url"]
    monkeypatch.setenv("SLACK_BOT_TOKEN", slack_standin.token)
    monkeypatch.setenv("VENDORWATCH_WEBHOOK_URL", hook_url)
    monkeypatch.setenv("VENDORWATCH_WEBHOOK_SECRET", HOOK_SECRET)
    teams_url = hook_url.replace(HOOK_PATH, TEAMS_PATH)  # the same receiver: it takes any path
    monkeypatch.setenv("VENDORWATCH_TEAMS_WEBHOOK_URL", teams_url)
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    (feeds / "okta.xml").write_text(fleet.rss([("okta-1", fleet.breach_title("Okta"))]))
    (tmp_path / "registry.yaml").write_text(fleet.registry_yaml(("Okta",)))
    caplog.set_level(logging.DEBUG)
    with FeedServer(feeds) as server:
        config = tmp_path / "vendorwatch.toml"
        toml = fleet.settings_toml(f"sqlite:///{tmp_path / 'vw.db'}", server.base_url, ("Okta",), "10s", "#alerts")
        config.write_text(toml.replace('channels = ["slack"]', 'channels = ["slack", "webhook", "teams"]'))
        monkeypatch.setenv("VENDORWATCH_SLACK_API_URL", slack_standin.api_url)
        app = App(load_settings(config))
        with app.session() as s:
            api.import_file(s, tmp_path / "registry.yaml")
        quiet_library_loggers()  # what `run` does before anything else
        prepare(app)
        worker = Worker(app)
        worker.poll()
        worker.dispatch()
    assert len(slack_standin.root_messages("#alerts")) == 1
    assert len(webhook_receiver) == 2 and sum(r.get("type") == "message" for r in webhook_receiver) == 1, "and Teams"
    logged = caplog.text + "".join(repr(r.args) + repr(r.__dict__.get("exc_text")) for r in caplog.records)
    assert caplog.records, "the cycle should have logged something"
    for secret in (slack_standin.token, hook_url, HOOK_PATH, HOOK_SECRET, teams_url, TEAMS_PATH):
        assert secret not in logged
